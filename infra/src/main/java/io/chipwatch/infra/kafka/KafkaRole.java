package io.chipwatch.infra.kafka;

import java.util.Locale;

/**
 * The Kafka principals of the local stack, one per component role; each authenticates with SCRAM-SHA-512 as
 * {@code User:<username>} and may do only what {@link KafkaAcls} grants it ({@link #ADMIN} is a super user).
 */
public enum KafkaRole {
    /** Writes chip-samples and fault-truth (and, with a real source, its source-down anomalies). */
    COLLECTOR,
    /** The aggregation job: reads chip-samples, writes the dead-letter topic. */
    AGGREGATION,
    /** The detection job: reads chip-samples, writes anomalies. */
    DETECTION,
    /** Reads anomalies, reads and writes its state topic, reads the newest chip-samples offsets. */
    ALERTING,
    /** The CLI: creates topics, reads for status, bench and eval; the supervisor's component anomalies. */
    ADMIN;

    /** The SCRAM username, e.g. {@code collector}. */
    public String username() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name of its credentials file in the secrets folder, e.g. {@code kafka-collector.properties}. */
    public String fileName() {
        return "kafka-" + username() + ".properties";
    }
}
