package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.model.wire.WireFormatException;
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
 * partition's samples would be dropped as late. The price is decoding each record twice (here and in
 * {@code DecodeSamples}).
 *
 * <p>A record that does not decode gets {@link Long#MIN_VALUE}, so it never moves the watermark.
 */
public final class SampleTimestamps implements TimestampAssigner<RawRecord> {
    // One per source reader (see watermarks()): the codec is not thread-safe.
    private final ChipSampleCodec codec = new ChipSampleCodec();

    @Override
    public long extractTimestamp(RawRecord record, long kafkaTimestamp) {
        try {
            return codec.decode(record.value()).timestampMillis();
        } catch (WireFormatException | RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Watermarks that trail the largest sample time seen in each partition by {@code outOfOrderness}, and that
     * stop holding back the windows when a partition has been silent for {@code idleness} (a quiet partition must
     * not stall every chip's windows). An idleness of zero disables idle detection.
     */
    public static WatermarkStrategy<RawRecord> watermarks(Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<RawRecord> strategy = WatermarkStrategy
                .<RawRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(context -> new SampleTimestamps());
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }
}
