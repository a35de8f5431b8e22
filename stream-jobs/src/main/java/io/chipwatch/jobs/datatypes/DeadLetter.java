package io.chipwatch.jobs.datatypes;

import io.chipwatch.model.wire.WireFormatException;

import java.util.Locale;
import java.util.Objects;

/**
 * A record the job could not use, kept with its original bytes and where it came from, so that it can be
 * inspected or replayed after a fix. The job routes these to a side output instead of failing.
 *
 * @param reason    why the record was rejected
 * @param message   human-readable detail
 * @param key       the original record key, may be {@code null}
 * @param value     the original record value; never {@code null} (a tombstone becomes an empty array)
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 */
public record DeadLetter(Reason reason, String message, byte[] key, byte[] value,
                         String topic, int partition, long offset) {

    /**
     * Why a record became a dead letter. The first five mirror {@link WireFormatException.Reason}; the
     * others are checks the job makes on decoded samples.
     */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** The first byte is not the Chipwatch envelope marker. */
        BAD_MAGIC,
        /** A schema version this build does not know. */
        UNKNOWN_VERSION,
        /** The body does not parse under the announced schema version. */
        MALFORMED_BODY,
        /** The body parsed but bytes were left over. */
        TRAILING_BYTES,
        /**
         * The record decoded but a measurement is not a finite number. InfluxDB rejects such a point and would
         * reject its whole batch with it, so it must not reach the sink.
         */
        INVALID_SAMPLE;

        /** The reason for a codec failure. */
        public static Reason of(WireFormatException.Reason wireReason) {
            return valueOf(wireReason.name());
        }

        /** Lower-case name, used as a metric name. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        value = value == null ? new byte[0] : value;
    }

    /** A dead letter for {@code record}, keeping its bytes and coordinates. */
    public static DeadLetter of(RawRecord record, Reason reason, String message) {
        return new DeadLetter(reason, message, record.key(), record.value(),
                record.topic(), record.partition(), record.offset());
    }
}
