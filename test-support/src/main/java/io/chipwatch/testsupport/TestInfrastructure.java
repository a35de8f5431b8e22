package io.chipwatch.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The one way tests get a real Kafka and InfluxDB. Whether they run in containers (a Docker engine answers) or
 * as local processes (the infra module's broker JVM and influxd) is decided once per JVM, see {@link InfraMode};
 * tests cannot tell and should not care.
 *
 * <p><b>Shared</b> instances ({@link #get()}{@code .kafka()}, {@code .influx()}): one of each per JVM, started at
 * first use, removed with their data when the JVM exits. They are running whenever they are handed out; tests
 * share them, so they keep to their own topics and databases ({@link TestTopics#unique}) and never stop them.
 *
 * <p><b>Dedicated</b> instances ({@link #dedicatedKafka()}, {@link #dedicatedInflux()}): fresh and private, for
 * tests that stop and restart a component to simulate an outage. Close them (try-with-resources), or let
 * {@link RealInfrastructureExtension} do it by declaring a {@link DedicatedKafka} or {@link DedicatedInflux}
 * parameter.
 */
public final class TestInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(TestInfrastructure.class);
    private static TestInfrastructure shared;
    private static InfraMode mode;

    private final InfraMode instanceMode;
    private ManagedKafka kafka;
    private ManagedInflux influx;

    private TestInfrastructure(InfraMode mode) {
        this.instanceMode = mode;
    }

    /** This JVM's shared infrastructure; starts nothing until {@link #kafka()} or {@link #influx()} is called. */
    public static synchronized TestInfrastructure get() {
        if (shared == null) {
            shared = new TestInfrastructure(mode());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::closeAll, "chipwatch-test-infrastructure"));
        }
        return shared;
    }

    /** Where this JVM's infrastructure comes from (chosen at the first call). */
    public static synchronized InfraMode mode() {
        if (mode == null) {
            mode = InfraMode.select();
        }
        return mode;
    }

    /** The shared Kafka broker, started on first use and restarted if a test stopped it. */
    public synchronized KafkaService kafka() {
        kafka = running(kafka, () -> newKafka(instanceMode), "Kafka", "dedicatedKafka");
        return new SharedKafka(kafka);
    }

    /** The shared InfluxDB, started on first use and restarted if a test stopped it. */
    public synchronized InfluxService influx() {
        influx = running(influx, () -> newInflux(instanceMode), "InfluxDB", "dedicatedInflux");
        return new SharedInflux(influx);
    }

    /** {@code shared}, started: launched when there is none yet, started again when a test stopped it. */
    private static <T extends ManagedService> T running(T shared, Supplier<T> launch, String what,
                                                        String dedicated) {
        if (shared == null) {
            return timed("shared " + what, launch);
        }
        if (!shared.isRunning()) {
            LOG.warn("The shared {} was stopped by a test; starting it again. Tests that stop {} should use "
                    + "TestInfrastructure.{}().", what, what, dedicated);
            shared.start();
        }
        return shared;
    }

    /** A fresh Kafka broker of the caller's alone; the caller closes it. */
    public static DedicatedKafka dedicatedKafka() {
        return timed("dedicated Kafka", () -> newKafka(mode()));
    }

    /** A fresh InfluxDB of the caller's alone; the caller closes it. */
    public static DedicatedInflux dedicatedInflux() {
        return timed("dedicated InfluxDB", () -> newInflux(mode()));
    }

    private static ManagedKafka newKafka(InfraMode mode) {
        return mode == InfraMode.CONTAINERS ? ContainerKafkaService.launch() : LocalKafkaService.launch();
    }

    private static ManagedInflux newInflux(InfraMode mode) {
        return mode == InfraMode.CONTAINERS ? ContainerInfluxService.launch() : LocalInfluxService.launch();
    }

    private static <T> T timed(String what, Supplier<T> start) {
        long t0 = System.nanoTime();
        T started = start.get();
        LOG.info("{} ready in {} ms: {}", what, (System.nanoTime() - t0) / 1_000_000, started);
        return started;
    }

    private synchronized void closeAll() {
        // At JVM exit: stop the servers first, then their folders can go.
        for (ManagedService service : new ManagedService[] {kafka, influx}) {
            if (service != null) {
                try {
                    service.close();
                } catch (RuntimeException e) {
                    LOG.warn("could not close {}: {}", service, e.toString());
                }
            }
        }
    }

    /**
     * The tests' view of a shared server: no {@code close()}, it belongs to the JVM.
     *
     * @param <T> the managed server behind it
     */
    @SuppressWarnings("UnusedMethod") // stop() and start() implement KafkaService's and InfluxService's
    private abstract static class Shared<T extends ManagedService> {
        final T delegate;

        Shared(T delegate) {
            this.delegate = delegate;
        }

        public void stop() {
            delegate.stop();
        }

        public void start() {
            delegate.start();
        }

        @Override
        public String toString() {
            return "shared " + delegate;
        }
    }

    /** The tests' view of the shared broker. */
    private static final class SharedKafka extends Shared<ManagedKafka> implements KafkaService {
        SharedKafka(ManagedKafka delegate) {
            super(delegate);
        }

        @Override
        public String bootstrapServers() {
            return delegate.bootstrapServers();
        }

        @Override
        public void createTopic(String name, int partitions) {
            delegate.createTopic(name, partitions);
        }
    }

    /** The tests' view of the shared InfluxDB. */
    private static final class SharedInflux extends Shared<ManagedInflux> implements InfluxService {
        SharedInflux(ManagedInflux delegate) {
            super(delegate);
        }

        @Override
        public String url() {
            return delegate.url();
        }

        @Override
        public void createDatabase(String name) {
            delegate.createDatabase(name);
        }
    }
}
