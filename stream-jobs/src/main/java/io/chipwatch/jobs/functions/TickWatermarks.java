package io.chipwatch.jobs.functions;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Watermarks of one Kafka partition fed by a source that samples in ticks (every chip read at the same instant and
 * published in one burst): bounded out-of-orderness, plus one rule. Once the partition has been quiet for
 * {@code tickQuiet} (processing time) after records arrived, the burst is over: its newest tick is complete and the
 * watermark moves up to that tick at once, instead of waiting for the next tick's samples to push it there.
 *
 * <p>What it buys: a decision taken at a tick's event time (a silence check, a rack comparison) is made as soon as
 * the tick has arrived, about one sampling interval sooner. What it costs: a sample of that tick arriving after the
 * quiet (a producer stalled mid-burst) is late, as one arriving after the out-of-orderness allowance is. Watermarks
 * never go back: after the quiet rule has moved one up, the bounded rule only moves it further once newer samples
 * pass it.
 *
 * <p>Only meant for live input. On a replay records arrive back to back and the rule rarely applies, but when it does
 * it depends on processing speed; the jobs therefore do not use it in bounded runs.
 */
public final class TickWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final long quietNanos;
    private final LongSupplier nanoClock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventNanos;
    private long emitted = Long.MIN_VALUE;

    /**
     * @param outOfOrderness how far behind the newest sample time the watermark trails while records keep coming
     * @param tickQuiet      quiet after which the newest tick is complete; positive
     * @param nanoClock      the processing-time clock ({@code System::nanoTime}; tests pass their own)
     */
    public TickWatermarks(Duration outOfOrderness, Duration tickQuiet, LongSupplier nanoClock) {
        if (tickQuiet.isNegative() || tickQuiet.isZero()) {
            throw new IllegalArgumentException("tickQuiet must be positive, was " + tickQuiet);
        }
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.quietNanos = tickQuiet.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        lastEventNanos = nanoClock.getAsLong();
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTimestamp == Long.MIN_VALUE) {
            return;
        }
        boolean quiet = nanoClock.getAsLong() - lastEventNanos >= quietNanos;
        long watermark = quiet ? maxTimestamp : maxTimestamp - outOfOrdernessMs - 1;
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
