package io.chipwatch.alerting.source;

import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import io.chipwatch.model.wire.WireFormatException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code anomalies} topic and hands each batch to the engine; commits the batch's offsets only after the
 * engine says the state changes it caused are durable. When that fails, the batch is read again (the engine drops
 * what it already applied as duplicates). Bad records are counted ({@code chipwatch_alerting_anomalies_received_total{outcome="invalid"}})
 * and logged with their reason, then skipped.
 *
 * <p>All partitions of the topic are assigned to this one consumer (the service runs as a single instance; its
 * group id only keeps the committed offsets); new partitions are picked up every 30 s. Until the consumer has read
 * up to the end offsets of its start, {@link #caughtUp()} is false.
 *
 * <p>The thread never ends on an error: any exception from the client (e.g. a {@code TimeoutException} from the
 * partition refresh while Kafka is away) is logged, counted and retried with backoff (0.5 s doubling to 30 s).
 * {@link #health()} says whether it is really reading: its thread alive, the age of its last completed poll, its
 * lag behind the topic's end, its failures.
 */
public final class AnomalyConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyConsumer.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 30_000;

    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Function<List<Anomaly>, CompletableFuture<Void>> sink;
    private final AlertingMetrics metrics;
    private final Runnable onCaughtUp;
    private final Thread thread;
    private final AnomalyCodec codec = new AnomalyCodec();
    private final Clock clock;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile long lastPollMillis;
    private volatile long lag = -1;
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError;
    private Map<TopicPartition, Long> endAtStart = Map.of();
    private long invalidLogged;

    /**
     * @param sink       applies a batch; its future completes once the changes are durable
     * @param onCaughtUp called once, when the backlog of the start has been read
     */
    public AnomalyConsumer(String bootstrap, Path credentials, String topic, String groupId,
                           Function<List<Anomaly>, CompletableFuture<Void>> sink, AlertingMetrics metrics,
                           Runnable onCaughtUp) {
        this(topic, newConsumer(bootstrap, credentials, topic, groupId), sink, metrics, onCaughtUp,
                Clock.systemUTC());
    }

    /** On a consumer of the caller's (tests: Kafka's {@code MockConsumer}); the topic must exist. */
    AnomalyConsumer(String topic, Consumer<byte[], byte[]> consumer,
                    Function<List<Anomaly>, CompletableFuture<Void>> sink, AlertingMetrics metrics,
                    Runnable onCaughtUp, Clock clock) {
        this.topic = topic;
        this.sink = sink;
        this.metrics = metrics;
        this.onCaughtUp = onCaughtUp;
        this.clock = clock;
        this.consumer = consumer;
        this.lastPollMillis = clock.millis();
        this.thread = new Thread(this::run, "alerting-anomalies");
        thread.setDaemon(true);
    }

    private static KafkaConsumer<byte[], byte[]> newConsumer(String bootstrap, Path credentials, String topic,
                                                             String groupId) {
        Properties p = KafkaClientSecurity.apply(new Properties(), credentials);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-anomalies");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        ensureTopic(bootstrap, credentials, topic);
        return new KafkaConsumer<>(p);
    }

    /** Creates the topic (one partition) when it does not exist, so that the service can start first. */
    static void ensureTopic(String bootstrap, Path credentials, String topic) {
        Properties p = KafkaClientSecurity.apply(new Properties(), credentials);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            LOG.info("created topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrap + ": "
                        + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " does not answer", e);
        }
    }

    public void start() {
        thread.start();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * What the consumer is doing, for {@code /healthz}.
     *
     * @param alive          its thread runs
     * @param lastPollAgeMs  since its last completed poll
     * @param lag            records behind the end of the topic after that poll; -1 until known
     * @param caughtUp       has read what was published before the start
     * @param failures       errors retried since the start
     * @param lastError      the last of them, or null
     */
    public record Health(boolean alive, long lastPollAgeMs, long lag, boolean caughtUp, long failures,
                         String lastError) {
        /** Alive, and polled within {@code maxPollAge} (it polls every 100 ms while it can). */
        public boolean healthy(Duration maxPollAge) {
            return alive && lastPollAgeMs <= maxPollAge.toMillis();
        }
    }

    /** Its health now; any thread. */
    public Health health() {
        return new Health(thread.isAlive(), Math.max(0, clock.millis() - lastPollMillis), lag, caughtUp,
                failures.get(), lastError);
    }

    private void run() {
        long retry = FIRST_RETRY_MS;
        try {
            while (running) {
                try {
                    readUntilStopped();
                } catch (WakeupException e) {
                    if (running) {
                        LOG.error("anomaly consumer woken up unexpectedly; going on", e);
                    }
                } catch (RuntimeException e) {
                    long n = failures.incrementAndGet();
                    lastError = e.toString();
                    LOG.error("anomaly consumer failed ({} so far): {}; retrying in {} ms", n, e, retry, e);
                    Thread.sleep(retry);
                    retry = Math.min(MAX_RETRY_MS, retry * 2);
                    continue;
                }
                retry = FIRST_RETRY_MS;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The reading loop, from (re)assigning the partitions until {@link #close()}; throws what the client throws. */
    private void readUntilStopped() throws InterruptedException {
        assign();
        long nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
        long backoff = 100;
        while (running) {
            if (System.nanoTime() > nextRefresh) {
                assign();
                nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
            if (!records.isEmpty()) {
                if (process(records)) {
                    backoff = 100;
                } else {
                    rewind(records);
                    Thread.sleep(backoff);
                    backoff = Math.min(10_000, backoff * 2);
                }
            }
            lastPollMillis = clock.millis();
            lag = currentLag();
            checkCaughtUp();
        }
    }

    /** Records behind the end of the assigned partitions, as the client last saw it; -1 when it does not know. */
    private long currentLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isEmpty()) {
                return -1;
            }
            total += l.getAsLong();
        }
        return total;
    }

    /** Applies one batch and commits it; false (and no commit) when the state could not be written. */
    private boolean process(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<Anomaly> batch = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            try {
                batch.add(codec.decode(r.value()));
            } catch (WireFormatException e) {
                metrics.anomaly("invalid");
                if (invalidLogged++ < 10 || invalidLogged % 1000 == 0) {
                    LOG.warn("skipping bad record {}-{}@{} ({}): {}", r.topic(), r.partition(), r.offset(),
                            e.reason(), e.getMessage());
                }
            }
        }
        try {
            if (!batch.isEmpty()) {
                sink.apply(batch).get(60, TimeUnit.SECONDS);
            }
            consumer.commitSync(offsets, Duration.ofSeconds(30));
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("could not persist the state for {} anomaly event(s); not committing, reading them again: {}",
                    batch.size(), e.getCause() != null ? e.getCause().toString() : e.toString());
            return false;
        } catch (KafkaException e) {
            LOG.warn("offset commit failed (the events will be read again, harmlessly): {}", e.toString());
            return false;
        }
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
    }

    private void assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        Set<TopicPartition> partitions = new HashSet<>();
        for (PartitionInfo i : infos == null ? List.<PartitionInfo>of() : infos) {
            partitions.add(new TopicPartition(i.topic(), i.partition()));
        }
        if (!partitions.equals(consumer.assignment())) {
            consumer.assign(partitions);
            if (!caughtUp) {
                endAtStart = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            }
            LOG.info("reading {} from {} partition(s)", topic, partitions.size());
        }
    }

    private void checkCaughtUp() {
        if (caughtUp) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        caughtUp = true;
        LOG.info("caught up with {}", topic);
        onCaughtUp.run();
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
