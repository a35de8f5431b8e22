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
     * Why a record became a dead letter. The first five mirror {@link WireFormatException.Reason} (bytes that are
     * not a sample); the next seven are checks on decoded samples ({@link io.chipwatch.jobs.functions.SampleValidator});
     * {@link #LATE} is a valid sample whose window had already closed.
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
         * The record's Kafka key is not the id of the chip in the sample (or is missing). The job partitions records
         * by key, so such a sample would be aggregated with another chip's.
         */
        KEY_MISMATCH,
        /** A chip, node, rack or pod id is empty or blank. */
        MISSING_ID,
        /** The job was given the topology ({@code --chips N}) and the chip is not in it. */
        UNKNOWN_CHIP,
        /** The sample is timestamped further ahead of the job's clock than allowed (default 5 minutes). */
        FUTURE_TIMESTAMP,
        /** The sample is older than the raw data is kept (its points would be dropped by InfluxDB at once). */
        STALE_TIMESTAMP,
        /**
         * A measurement (utilisation, temperature, power or a link latency) is NaN or infinite. InfluxDB rejects
         * such a point and would reject its whole batch with it, so it must not reach the sink.
         */
        NON_FINITE,
        /** A measurement is outside its physical range (e.g. utilisation above 100 %, negative power or latency). */
        OUT_OF_RANGE,
        /**
         * A valid sample that arrived after its window had been closed and written (later than the out-of-orderness
         * bound allows). Its value is the sample re-encoded in the current wire format; the source topic, partition
         * and offset are not known at that point of the job, so those headers are absent.
         */
        LATE;

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
