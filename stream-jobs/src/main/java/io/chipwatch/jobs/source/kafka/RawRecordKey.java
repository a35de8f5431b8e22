package io.chipwatch.jobs.source.kafka;

import io.chipwatch.jobs.datatypes.RawRecord;
import org.apache.flink.api.java.functions.KeySelector;

import java.nio.charset.StandardCharsets;

/**
 * The Kafka key of a raw record as a string: the chip id, by the wire contract (producers key samples by chip). The
 * job partitions the raw bytes by it, so that samples cross the network as the bytes they arrived as, and are
 * decoded once, on the subtask that aggregates their chip. A record without a key gets the empty key; it is
 * rejected after decoding, like any record whose sample names another chip than its key.
 */
public final class RawRecordKey implements KeySelector<RawRecord, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(RawRecord record) {
        byte[] key = record.key();
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
