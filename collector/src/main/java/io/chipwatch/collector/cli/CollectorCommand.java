package io.chipwatch.collector.cli;

import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.runtime.RealTimeSampler;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code collector}: the long-running process of the local stack. Simulates the cluster in real time (one tick
 * per interval, on the wall-clock boundary) and publishes every sample to Kafka; logs a summary every 10 s.
 * Stops cleanly on SIGTERM or Ctrl-C: the tick in progress completes and the producer is flushed.
 */
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = "Simulate the cluster in real time and publish its samples to Kafka.")
public final class CollectorCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorCommand.class);
    private static final long SUMMARY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,…]",
            description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "chip-samples", description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--chips", defaultValue = "" + SimulationConfig.DEFAULT_CHIPS,
            description = "Number of chips, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    int chips;

    @Option(names = "--seed", defaultValue = "" + SimulationConfig.DEFAULT_SEED, description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--interval-ms", defaultValue = "" + SimulationConfig.DEFAULT_SAMPLE_INTERVAL_MILLIS,
            description = "Sampling interval per chip, ms (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(names = "--kafka-wait", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to wait at start for the broker and topic before sampling anyway (default: ${DEFAULT-VALUE}).")
    Duration kafkaWait;

    @Option(names = {"-P", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka producer property; overrides the collector's default. Repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile RealTimeSampler sampler;
    private volatile boolean stopRequested;

    @Override
    public Integer call() throws InterruptedException {
        SimulationConfig config;
        try {
            config = SimulationConfig.builder().chips(chips).seed(seed).sampleIntervalMillis(intervalMillis)
                    .startMillis(RealTimeSampler.alignUp(System.currentTimeMillis(), intervalMillis)).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Thread hook = new Thread(this::stopAndAwait, "collector-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KafkaSamplePublisher publisher = KafkaSamplePublisher.builder().bootstrapServers(bootstrap).topic(topic)
                .producerProperties(producerProperties).build()) {
            try {
                run(config, publisher);
            } finally {
                LOG.info("stopping: flushing the producer ({} sent, {} acknowledged, {} failed so far)",
                        publisher.sent(), publisher.acknowledged(), publisher.failed());
                publisher.close(CLOSE_TIMEOUT);
                LOG.info("stopped: {} sent, {} acknowledged, {} failed", publisher.sent(), publisher.acknowledged(),
                        publisher.failed());
            }
        } finally {
            stopped.countDown();
            removeHook(hook);
        }
        return 0;
    }

    private void run(SimulationConfig config, KafkaSamplePublisher publisher) throws InterruptedException {
        LOG.info("collector starting: {} chips, seed {}, every {} ms, to topic {} at {}", config.chips(),
                config.seed(), config.sampleIntervalMillis(), topic, bootstrap);
        long buildStart = System.nanoTime();
        ClusterSimulator simulator = new ClusterSimulator(config);
        LOG.info("cluster built in {} ms: {} nodes, {} racks, {} pods, {} jobs", millisSince(buildStart),
                simulator.topology().chipsByNode().size(), simulator.topology().chipsByRack().size(),
                simulator.topology().chipsByPod().size(), simulator.jobs().size());
        if (stopRequested) {
            return;
        }
        if (!awaitKafka(publisher)) {
            if (stopRequested) {
                return;
            }
            // Sample anyway: the broker may come later, and until then failures are counted and logged.
            LOG.warn("topic {} at {} not available after {}; sampling anyway", topic, bootstrap, kafkaWait);
        }
        Summary summary = new Summary(config.chips(), publisher);
        RealTimeSampler s = new RealTimeSampler(simulator, publisher, summary::onTick);
        sampler = s;
        if (stopRequested) {
            return;
        }
        s.run();
    }

    /** Waits for the topic in short slices, so that a stop request during a long wait is honoured promptly. */
    private boolean awaitKafka(KafkaSamplePublisher publisher) throws InterruptedException {
        long deadline = System.nanoTime() + kafkaWait.toNanos();
        while (!stopRequested) {
            if (publisher.awaitReady(Duration.ofSeconds(1))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
        }
        return false;
    }

    /** Asks a running {@link #call()} to finish its tick, flush the producer and return; safe from any thread. */
    void requestStop() {
        stopRequested = true;
        RealTimeSampler s = sampler;
        if (s != null) {
            s.stop();
        }
    }

    /** The shutdown hook: stop sampling, then wait until the producer is flushed and closed. */
    private void stopAndAwait() {
        requestStop();
        try {
            if (!stopped.await(CLOSE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                LOG.warn("collector did not stop in time; exiting anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is the one that stopped us.
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Accumulates per-tick figures and logs them as one line every 10 s. */
    private static final class Summary {
        private final int chips;
        private final KafkaSamplePublisher publisher;
        private long windowStartNanos = System.nanoTime();
        private long ticks;
        private long skipped;
        private long totalNanos;
        private long maxNanos;
        private long lastSent;
        private long lastFailed;

        Summary(int chips, KafkaSamplePublisher publisher) {
            this.chips = chips;
            this.publisher = publisher;
        }

        void onTick(long timestampMillis, long durationNanos, long skippedTicks) {
            ticks++;
            skipped += skippedTicks;
            totalNanos += durationNanos;
            maxNanos = Math.max(maxNanos, durationNanos);
            long now = System.nanoTime();
            if (now - windowStartNanos < SUMMARY_INTERVAL_NANOS) {
                return;
            }
            long sent = publisher.sent();
            long failed = publisher.failed();
            LOG.info("{} chips: {} ticks in {} s (tick avg {} ms, max {} ms), skipped {}; sent {} (+{}), "
                            + "acknowledged {}, failed {} (+{})", chips, ticks,
                    TimeUnit.NANOSECONDS.toSeconds(now - windowStartNanos),
                    TimeUnit.NANOSECONDS.toMillis(totalNanos / ticks), TimeUnit.NANOSECONDS.toMillis(maxNanos),
                    skipped, sent, sent - lastSent, publisher.acknowledged(), failed, failed - lastFailed);
            lastSent = sent;
            lastFailed = failed;
            windowStartNanos = now;
            ticks = 0;
            skipped = 0;
            totalNanos = 0;
            maxNanos = 0;
        }
    }
}
