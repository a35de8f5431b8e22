package io.chipwatch.jobs.functions;

import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.Arrays;

/**
 * Drops repeated samples of a chip: a sample whose chip and timestamp were already seen is discarded. Producers
 * retry, and a replay after a collector restart re-sends samples, so duplicates are expected; counting them
 * twice would skew means and sample counts.
 *
 * <p>Keyed by chip. The state is one sorted {@code long[]} per chip: the timestamps seen that the window operator
 * downstream would still accept. A timestamp is forgotten once the watermark has passed the end of the tumbling
 * window holding it plus the allowed lateness (from then on the window drops any sample of that timestamp as late,
 * so remembering it longer would only cost memory). Forgetting happens when the chip's next sample arrives, so there
 * are no timers: at 1 Hz and 10 s windows a chip holds about ten longs, one state entry and no timer, where a map of
 * boxed timestamps and a timer per chip and window cost several objects per sample and kept the garbage collector
 * busy (docs/PERFORMANCE.md). A chip that stops reporting keeps its last few timestamps (bounded by the chip count).
 *
 * <p>Must use the same window size (and zero offset) and allowed lateness as the window it feeds. The state of the
 * former version (a map state {@code seen-timestamps} and its timers) restores unclaimed and its timers fire once,
 * doing nothing.
 */
public class DropDuplicateSamples extends KeyedProcessFunction<String, ChipSample, ChipSample> {
    private static final long serialVersionUID = 2L;
    private static final long[] NONE = new long[0];

    private final long windowSizeMillis;
    private final long allowedLatenessMillis;

    private transient ValueState<long[]> seen;

    /**
     * @param windowSize      size of the tumbling event-time windows downstream
     * @param allowedLateness their allowed lateness ({@link Duration#ZERO} if none)
     */
    public DropDuplicateSamples(Duration windowSize, Duration allowedLateness) {
        if (windowSize.toMillis() <= 0) {
            throw new IllegalArgumentException("window size must be positive, got " + windowSize);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative, got " + allowedLateness);
        }
        this.windowSizeMillis = windowSize.toMillis();
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(
                new ValueStateDescriptor<>("seen", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(ChipSample sample, Context ctx, Collector<ChipSample> out) throws Exception {
        long timestamp = sample.timestampMillis();
        long[] times = seen.value();
        if (times == null) {
            times = NONE;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (forgetAt(timestamp) > watermark && Arrays.binarySearch(times, timestamp) >= 0) {
            return;
        }
        seen.update(remember(times, timestamp, watermark));
        out.collect(sample);
    }

    /**
     * {@code times} without what the watermark lets go of, plus {@code timestamp}, sorted. A late sample (one the
     * window downstream drops anyway) is passed on every time: its time is stored only until the chip's next sample.
     */
    long[] remember(long[] times, long timestamp, long watermark) {
        int keep = 0;
        for (long t : times) {
            if (forgetAt(t) > watermark && t != timestamp) {
                keep++;
            }
        }
        long[] next = new long[keep + 1];
        int n = 0;
        boolean placed = false;
        for (long t : times) {
            if (forgetAt(t) <= watermark || t == timestamp) {
                continue;
            }
            if (!placed && timestamp < t) {
                next[n++] = timestamp;
                placed = true;
            }
            next[n++] = t;
        }
        if (!placed) {
            next[n++] = timestamp;
        }
        return n == next.length ? next : Arrays.copyOf(next, n);
    }

    /**
     * The watermark at which a sample time can be forgotten: its window's last millisecond plus the allowed
     * lateness, the same instant at which the window operator starts to treat that window's samples as late.
     */
    long forgetAt(long timestamp) {
        long windowStart = TimeWindow.getWindowStartWithOffset(timestamp, 0, windowSizeMillis);
        return windowStart + windowSizeMillis - 1 + allowedLatenessMillis;
    }
}
