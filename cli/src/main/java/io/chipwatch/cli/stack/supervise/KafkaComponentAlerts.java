package io.chipwatch.cli.stack.supervise;

import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A component's outage as ONE {@code telemetry_silent} anomaly (Kafka's and the jobs': {@code pipeline_degraded},
 * {@link #anomaly}) (scope source, entity the component's name, start
 * when it was found down) on the anomalies topic, closed once it serves again: the alerting service turns it into
 * one {@code TelemetrySilent} alert naming the component, like the detection job's and its own collector watch
 * (for the collector they are the same alert: same labels), and that alert holds chip and node pages back while it
 * fires. The id is {@code telemetry_silent:COMPONENT:START}, so a repeat is dropped by the engine.
 *
 * <p>Events wait in order until published: while Kafka itself is down (or restarting) they are kept and sent when
 * it answers again, so a Kafka outage is raised and resolved after the fact. While the alerting service is down its
 * events wait in Kafka and it reads them when it is back; {@code status} shows the outage meanwhile.
 */
public final class KafkaComponentAlerts implements ComponentAlerts {

    /** Publishes one anomaly event, synchronously; throws when it was not acknowledged. */
    @FunctionalInterface
    public interface Publisher extends AutoCloseable {
        void publish(Anomaly event) throws Exception;

        @Override
        default void close() {
        }
    }

    /** How long after a failed publish the next try waits. */
    static final long RETRY_MILLIS = 5_000;

    private final Publisher publisher;
    private final Consumer<String> log;
    private final Supplier<Long> wallClock;
    private final Map<String, Anomaly> open = new LinkedHashMap<>();
    private final Deque<Anomaly> pending = new ArrayDeque<>();
    private int failures;
    private long lastFailure;

    public KafkaComponentAlerts(Publisher publisher, Supplier<Long> wallClock, Consumer<String> log) {
        this.publisher = publisher;
        this.wallClock = wallClock;
        this.log = log;
    }

    /**
     * Alerts published to {@code topic} on the Kafka broker at {@code bootstrap} with the client settings
     * {@code security} gives (both asked again for each new connection).
     */
    public static KafkaComponentAlerts kafka(Supplier<String> bootstrap, Supplier<Map<String, String>> security,
                                             String topic, Consumer<String> log) {
        return new KafkaComponentAlerts(new KafkaPublisher(bootstrap, security, topic), System::currentTimeMillis,
                log);
    }

    /**
     * The components whose outage the alerting service's path watch also raises, as {@code pipeline_degraded}
     * naming them: Kafka (not answering) and the stream jobs (their consumer group falling behind).
     */
    static final Set<String> PATH_WATCHED = Set.of(LocalStack.KAFKA, LocalStack.FLINK, LocalStack.DETECTION);

    /**
     * The anomaly that stands for {@code component}'s outage: {@code telemetry_silent}, except for the components the
     * path watch also judges ({@link #PATH_WATCHED}): {@code pipeline_degraded}, the same alert as the path watch's.
     * Kafka's report can only go out once Kafka is back, when the path watch's alert may already be firing (it holds
     * it until Kafka has answered for 15 s, so this one joins it); a job's lag alert, raised while it is dead, lasts
     * until it has caught up, after this report closed (a separate alert paged two pages for one dead job). One
     * alert for one outage either way.
     */
    static Anomaly anomaly(String component, long sinceMillis, String detail) {
        AnomalyType type = PATH_WATCHED.contains(component) ? AnomalyType.PIPELINE_DEGRADED
                : AnomalyType.TELEMETRY_SILENT;
        return Anomaly.builder().type(type).scope(Scope.SOURCE).entity(component).severity(type.defaultSeverity())
                .startMillis(sinceMillis).eventMillis(sinceMillis).detail(detail).build();
    }

    @Override
    public synchronized void down(String component, long sinceMillis, String detail) {
        if (open.containsKey(component)) {
            return;
        }
        Anomaly a = anomaly(component, sinceMillis, detail);
        open.put(component, a);
        pending.add(a);
        flush();
    }

    @Override
    public synchronized void up(String component, long atMillis) {
        Anomaly a = open.remove(component);
        if (a != null) {
            pending.add(a.close(Math.max(atMillis, a.startMillis())));
            flush();
        }
    }

    /**
     * Publishes what waits, in order, until one fails. After a failure the next try waits {@link #RETRY_MILLIS}, so
     * that a Kafka outage does not hold up every tick (and the restart of Kafka itself) with timeouts.
     */
    @Override
    public synchronized void flush() {
        if (failures > 0 && wallClock.get() - lastFailure < RETRY_MILLIS) {
            return;
        }
        while (!pending.isEmpty()) {
            Anomaly next = pending.peek();
            try {
                publisher.publish(next);
            } catch (Exception e) {
                lastFailure = wallClock.get();
                if (failures++ % 30 == 0) {
                    log.accept("cannot publish " + next.id() + " (" + pending.size() + " waiting, will retry): " + e);
                }
                return;
            }
            pending.poll();
            failures = 0;
            log.accept("published " + next.state().name().toLowerCase(Locale.ROOT) + " " + next.id());
        }
    }

    /** Events not published yet (tests). */
    synchronized int pending() {
        return pending.size();
    }

    /** Resolves what is still open (the stack is going down with the supervisor) and sends what it can. */
    @Override
    public synchronized void close() {
        long now = wallClock.get();
        open.values().forEach(a -> pending.add(a.close(Math.max(now, a.startMillis()))));
        open.clear();
        failures = 0;
        flush();
        publisher.close();
    }

    /** A Kafka producer that is created on first use and again after a failure (the broker may have moved). */
    private static final class KafkaPublisher implements Publisher {
        private final Supplier<String> bootstrap;
        private final Supplier<Map<String, String>> security;
        private final String topic;
        private final AnomalyCodec codec = new AnomalyCodec();
        private Producer<byte[], byte[]> producer;

        KafkaPublisher(Supplier<String> bootstrap, Supplier<Map<String, String>> security, String topic) {
            this.bootstrap = bootstrap;
            this.security = security;
            this.topic = topic;
        }

        @Override
        public void publish(Anomaly event) throws Exception {
            if (producer == null) {
                String servers = bootstrap.get();
                if (servers == null) {
                    throw new IllegalStateException("the stack has no Kafka address yet");
                }
                Properties p = new Properties();
                p.putAll(security.get());
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
                p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
                p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
                p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            }
            try {
                producer.send(new ProducerRecord<>(topic, AnomalyCodec.key(event), codec.encode(event)))
                        .get(6, TimeUnit.SECONDS);
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
                producer = null;
            }
        }
    }
}
