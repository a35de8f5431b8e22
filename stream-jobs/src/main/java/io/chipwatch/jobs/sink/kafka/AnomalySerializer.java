package io.chipwatch.jobs.sink.kafka;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Objects;

/**
 * Writes an {@link Anomaly} event to the anomalies topic: key = the anomaly id (UTF-8), so its open and close
 * events land in one partition in order; value = {@link AnomalyCodec}; record timestamp = the event's
 * {@code eventMillis}.
 */
public final class AnomalySerializer implements KafkaRecordSerializationSchema<Anomaly> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    // Not thread-safe; one per sink writer (each subtask gets its own copy of this schema), made in open().
    private transient AnomalyCodec codec;

    /** Serializes into {@code topic}. */
    public AnomalySerializer(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = new AnomalyCodec();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Anomaly anomaly, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = new AnomalyCodec();
        }
        return new ProducerRecord<>(topic, null, anomaly.eventMillis(), AnomalyCodec.key(anomaly),
                codec.encode(anomaly));
    }
}
