package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Event time of a raw Kafka record: the {@link ChipSample#timestampMillis() instant the chip took the reading},
 * not when Kafka received it.
 *
 * <p>Why this works on raw records, in the source, rather than on decoded samples after {@link DecodeSamples}:
 * the Kafka source then tracks a watermark per partition and emits the minimum. A watermark assigned after
 * the source would see the partitions of one source subtask merged; when one partition is read ahead of
 * another (catching up after downtime, uneven partitions) the watermark would run ahead and the slower
 * partition's samples would be late.
 *
 * <p>Only the timestamp is read, not the whole sample: in wire version 1 it is the first field, an Avro long right
 * after the two-byte envelope ({@link ChipSampleCodec#MAGIC}, version). A record that is not version 1 or ends
 * inside the timestamp, or whose timestamp the {@link SampleValidator} rejects (far in the future or older than the
 * raw retention), gets {@link Long#MIN_VALUE}, so it never moves the watermark: one sample stamped a year ahead must
 * not make every other sample late. ({@link DecodeSamples} decodes every record in full and sends the bad ones to
 * the dead letters.) A record whose timestamp reads fine but whose body is corrupt may move the watermark, within
 * the same bounds as a valid sample.
 */
public final class SampleTimestamps implements TimestampAssigner<RawRecord> {
    private final SampleValidator validator;

    public SampleTimestamps(SampleValidator validator) {
        this.validator = validator;
    }

    @Override
    public long extractTimestamp(RawRecord record, long kafkaTimestamp) {
        long timestamp = peekTimestamp(record.value());
        return timestamp != Long.MIN_VALUE && validator.timestampAcceptable(timestamp) ? timestamp : Long.MIN_VALUE;
    }

    /** The timestamp of a version-1 record value, or {@link Long#MIN_VALUE} if it has none. */
    static long peekTimestamp(byte[] value) {
        if (value == null || value.length < 3 || value[0] != ChipSampleCodec.MAGIC || value[1] != 1) {
            return Long.MIN_VALUE;
        }
        long zigzag = 0;
        for (int i = 2, shift = 0; i < value.length && shift < 64; i++, shift += 7) {
            byte b = value[i];
            zigzag |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (zigzag >>> 1) ^ -(zigzag & 1);
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * Watermarks that trail the largest sample time seen in each partition by {@code outOfOrderness}, move up to it
     * once the partition has been quiet for {@code tickQuiet} ({@link TickWatermarks}; zero: never), and that
     * stop holding back the windows when a partition has been silent for {@code idleness} (a quiet partition must
     * not stall every chip's windows). An idleness of zero disables idle detection.
     */
    public static WatermarkStrategy<RawRecord> watermarks(Duration outOfOrderness, Duration idleness,
                                                          Duration tickQuiet, SampleValidator validator) {
        WatermarkStrategy<RawRecord> bounded = tickQuiet.isZero()
                ? WatermarkStrategy.forBoundedOutOfOrderness(outOfOrderness)
                : WatermarkStrategy.forGenerator(context -> new TickWatermarks<>(outOfOrderness, tickQuiet,
                        System::nanoTime));
        WatermarkStrategy<RawRecord> strategy = bounded
                .withTimestampAssigner(context -> new SampleTimestamps(validator));
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }
}
