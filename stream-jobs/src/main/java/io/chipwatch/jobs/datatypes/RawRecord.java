package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A Kafka record as it came off the topic, bytes untouched, with the coordinates needed to find it again.
 * Decoding happens in a separate operator rather than in the source so that a bad record becomes a
 * {@link DeadLetter} instead of a failed job, and so that the dead letter can carry the original bytes.
 *
 * <p>Arrays make {@code equals} identity-based for {@code key} and {@code value}; compare fields in tests.
 * <p>Serialized by {@link RawRecordSerializer} (one write; Flink's record serializer wrote the topic char by char).
 *
 * @param topic     topic the record was read from
 * @param partition partition within the topic
 * @param offset    offset within the partition
 * @param timestamp the Kafka record timestamp (epoch ms); not the sample's event time
 * @param key       record key (the chip id in UTF-8), may be {@code null}
 * @param value     record value (codec bytes), may be {@code null} for a tombstone
 */
@TypeInfo(RawRecordSerializer.Factory.class)
public record RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
}
