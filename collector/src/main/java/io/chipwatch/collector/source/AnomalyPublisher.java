package io.chipwatch.collector.source;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Publishes the collector's source-down events ({@link SourceDownTracker}) on the anomalies topic, as the detection
 * job publishes its own (key the id, value {@link AnomalyCodec}), so the alerting service pages them like any other.
 * Idempotent producer, retried for minutes; {@link #accept} never blocks the source loop: records go through one
 * background thread, which waits up to a minute for the topic's metadata (an event must not be lost because the
 * broker was slow to answer once).
 */
public final class AnomalyPublisher implements Consumer<Anomaly>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyPublisher.class);

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AnomalyCodec codec = new AnomalyCodec();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "source-events");
        t.setDaemon(true);
        return t;
    });

    public AnomalyPublisher(String bootstrapServers, String topic) {
        this(bootstrapServers, null, topic);
    }

    /** With {@code credentials} (a Kafka credentials file, {@link KafkaClientSecurity}; null: PLAINTEXT). */
    public AnomalyPublisher(String bootstrapServers, Path credentials, String topic) {
        this.topic = topic;
        Properties p = KafkaClientSecurity.apply(new Properties(), credentials);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "chipwatch-collector-source-events");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void accept(Anomaly anomaly) {
        LOG.warn("{} {}: {}", anomaly.isOpen() ? "opening" : "closing", anomaly.id(), anomaly.detail());
        executor.execute(() -> send(anomaly));
    }

    private void send(Anomaly anomaly) {
        try {
            producer.send(new ProducerRecord<>(topic, AnomalyCodec.key(anomaly), codec.encode(anomaly)), (md, e) -> {
                if (e == null) {
                    acknowledged.increment();
                } else {
                    failed.increment();
                    LOG.error("source event {} not published to {}: {}", anomaly.id(), topic, e.toString());
                }
            });
        } catch (RuntimeException e) {
            failed.increment();
            LOG.error("source event {} not published to {}: {}", anomaly.id(), topic, e.toString());
        }
    }

    public long acknowledged() {
        return acknowledged.sum();
    }

    public long failed() {
        return failed.sum();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("source events still being sent at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
