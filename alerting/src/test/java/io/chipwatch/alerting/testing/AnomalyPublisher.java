package io.chipwatch.alerting.testing;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Properties;

/** Publishes anomaly events the way detectors do: key = id, value = AnomalyCodec. */
public final class AnomalyPublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AnomalyCodec codec = new AnomalyCodec();

    public AnomalyPublisher(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void publish(Anomaly anomaly) {
        try {
            producer.send(new ProducerRecord<>(topic, AnomalyCodec.key(anomaly), codec.encode(anomaly))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + anomaly.id(), e);
        }
    }

    /** Sends raw bytes (for bad-record tests). */
    public void publishRaw(byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
