package io.chipwatch.jobs.functions;

import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * Drops repeated samples of a chip: a sample whose chip and timestamp were already seen is discarded. Producers
 * retry, and a replay after a collector restart re-sends samples, so duplicates are expected; counting them
 * twice would skew means and sample counts.
 *
 * <p>Keyed by chip. The state is the set of timestamps seen per chip, and a timestamp is forgotten once the
 * watermark has passed the end of the tumbling window holding it plus the allowed lateness: from then on the
 * window operator downstream drops any sample of that timestamp as late, so remembering it longer would only
 * cost memory. One event-time timer per chip and window does the cleanup (Flink merges timers registered for
 * the same key and time), so state stays at about one window's worth of timestamps per chip.
 *
 * <p>Must use the same window size (and zero offset) and allowed lateness as the window it feeds.
 */
public class DropDuplicateSamples extends KeyedProcessFunction<String, ChipSample, ChipSample> {
    private static final long serialVersionUID = 1L;

    private final long windowSizeMillis;
    private final long allowedLatenessMillis;

    private transient MapState<Long, Boolean> seenTimestamps;

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
        seenTimestamps = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("seen-timestamps", Types.LONG, Types.BOOLEAN));
    }

    @Override
    public void processElement(ChipSample sample, Context ctx, Collector<ChipSample> out) throws Exception {
        long timestamp = sample.timestampMillis();
        if (seenTimestamps.contains(timestamp)) {
            return;
        }
        seenTimestamps.put(timestamp, Boolean.TRUE);
        // A timer in the past (a late sample) simply fires at the next watermark and cleans up.
        ctx.timerService().registerEventTimeTimer(forgetAt(timestamp));
        out.collect(sample);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<ChipSample> out) throws Exception {
        Iterator<Map.Entry<Long, Boolean>> entries = seenTimestamps.iterator();
        while (entries.hasNext()) {
            if (forgetAt(entries.next().getKey()) <= time) {
                entries.remove();
            }
        }
        if (seenTimestamps.isEmpty()) {
            // Drops the chip's state entry itself (the heap backend keeps an empty map otherwise).
            seenTimestamps.clear();
        }
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
