package io.chipwatch.collector.runtime;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.model.sample.ChipSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives a {@link ClusterSimulator} in real time: each tick runs when its timestamp is due, and timestamps are
 * aligned to the sampling interval (at 1 Hz, on the wall-clock second), so that samples from any number of
 * collectors line up. When a tick ends too late for the next one to run on time, the sampler says so in the log
 * and skips ahead to the next aligned slot, instead of falling further and further behind.
 *
 * <p>Ticks are scheduled on the monotonic clock ({@link SamplerClock#nanoTime}), anchored to the wall clock at the
 * start: a step of the wall clock (NTP, an operator) neither stalls the sampling nor rushes it. Every wait checks the
 * wall clock against the anchor; a difference of more than {@link #STEP_TOLERANCE_MILLIS} is a step, logged and
 * counted ({@link #wallClockSteps()}). A step forward re-anchors (the timestamps jump ahead with the wall clock, the
 * slots in between are skipped, as for a late tick); a step back does not: the timestamps go on from where they
 * were, never repeating one (a repeated timestamp would count a window twice downstream), ahead of the wall clock by
 * the step ({@link #wallClockLeadMillis()}), until a step forward uses the lead up or the collector restarts.
 *
 * <p>{@link #run()} blocks until {@link #stop()}; stopping lets the tick in progress finish, so the last tick
 * is published whole.
 */
public final class RealTimeSampler implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RealTimeSampler.class);

    /** Told about every tick, on the sampling thread, after the tick's samples went to the sink. */
    @FunctionalInterface
    public interface TickListener {
        /**
         * @param timestampMillis the tick's timestamp
         * @param durationNanos   how long producing and handing over its samples took
         * @param skippedTicks    ticks skipped right after this one because it ended too late (usually 0)
         */
        void onTick(long timestampMillis, long durationNanos, long skippedTicks);
    }

    private final ClusterSimulator simulator;
    private final Consumer<? super ChipSample> sink;
    private final TickListener listener;
    private final long intervalMillis;
    private final long lateToleranceMillis;
    /** A wall clock this far from the monotonic schedule is a step. */
    public static final long STEP_TOLERANCE_MILLIS = 1_000;

    private final SamplerClock clock;
    private final Object lock = new Object();
    private boolean stopping;
    private volatile long ticks;
    private volatile long skippedTicks;
    private volatile long wallClockSteps;
    private volatile long wallClockLeadMillis;
    /** The schedule: wall time {@code anchorWall} is monotonic time {@code anchorNanos}. */
    private long anchorWall;
    private long anchorNanos;

    /**
     * @param simulator whose next timestamp is at or before the first aligned slot from now
     * @param sink      receives every sample
     * @param listener  told about every tick
     */
    public RealTimeSampler(ClusterSimulator simulator, Consumer<? super ChipSample> sink, TickListener listener) {
        this(simulator, sink, listener, SamplerClock.SYSTEM);
    }

    /** As above, on other clocks (tests). */
    public RealTimeSampler(ClusterSimulator simulator, Consumer<? super ChipSample> sink, TickListener listener,
                           SamplerClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.intervalMillis = simulator.config().sampleIntervalMillis();
        // Starting a tick a little late is harmless (its timestamp stays aligned); a quarter interval is the
        // point where the next one would be late too, so skip instead.
        this.lateToleranceMillis = intervalMillis / 4;
    }

    /** The first multiple of {@code intervalMillis} at or after {@code millis}. */
    public static long alignUp(long millis, long intervalMillis) {
        return Math.floorDiv(millis + intervalMillis - 1, intervalMillis) * intervalMillis;
    }

    @Override
    public void run() {
        anchorWall = clock.wallMillis();
        anchorNanos = clock.nanoTime();
        long first = alignUp(anchorWall, intervalMillis);
        if (first > simulator.nextTimestampMillis()) {
            simulator.skipTo(first);
        }
        while (awaitDue(simulator.nextTimestampMillis())) {
            long due = simulator.nextTimestampMillis();
            long start = clock.nanoTime();
            simulator.tick(sink);
            long duration = clock.nanoTime() - start;
            ticks++;
            long skipped = skipIfLate(due, duration);
            listener.onTick(due, duration, skipped);
        }
    }

    /**
     * The time the schedule says it is now (the wall clock's, plus the lead a step back left), after checking the
     * wall clock for a step.
     */
    private long scheduledNow() {
        long nanos = clock.nanoTime();
        long wall = clock.wallMillis();
        long scheduled = anchorWall + (nanos - anchorNanos) / 1_000_000;
        long step = wall - scheduled;
        if (Math.abs(step) <= STEP_TOLERANCE_MILLIS) {
            return scheduled + wallClockLeadMillis;
        }
        wallClockSteps++;
        anchorWall = wall;
        anchorNanos = nanos;
        // A step back becomes a lead, so that no timestamp repeats; a step forward uses up the lead, then moves on.
        wallClockLeadMillis = Math.max(0, wallClockLeadMillis - step);
        LOG.warn("the wall clock stepped {} ms {}; sampling goes on{}", Math.abs(step), step > 0 ? "forward" : "back",
                wallClockLeadMillis == 0 ? " with it (the slots in between are skipped)"
                        : ", without repeating a timestamp, " + wallClockLeadMillis + " ms ahead of the wall clock");
        return wall + wallClockLeadMillis;
    }

    /** Waits until the schedule reaches {@code dueMillis}; false when stopped first. */
    private boolean awaitDue(long dueMillis) {
        synchronized (lock) {
            while (!stopping) {
                long wait = dueMillis - scheduledNow();
                if (wait <= 0) {
                    return true;
                }
                try {
                    clock.await(lock, wait * 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
            return false;
        }
    }

    private long skipIfLate(long due, long durationNanos) {
        long next = simulator.nextTimestampMillis();
        long now = scheduledNow();
        if (now - next <= lateToleranceMillis) {
            return 0;
        }
        long target = alignUp(now, intervalMillis);
        long skipped = (target - next) / intervalMillis;
        simulator.skipTo(target);
        skippedTicks += skipped;
        LOG.warn("tick {} took {} ms and ended {} ms after the next tick was due (interval {} ms): "
                        + "skipping {} tick(s) to {}", due, TimeUnit.NANOSECONDS.toMillis(durationNanos), now - next,
                intervalMillis, skipped, target);
        return skipped;
    }

    /** Asks {@link #run()} to return after the tick in progress, if any. Safe from any thread. */
    public void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
    }

    /** Ticks run so far. */
    public long ticks() {
        return ticks;
    }

    /** Steps of the wall clock seen so far (either way). */
    public long wallClockSteps() {
        return wallClockSteps;
    }

    /** How far the sample timestamps run ahead of the wall clock after it stepped back (0 normally). */
    public long wallClockLeadMillis() {
        return wallClockLeadMillis;
    }

    /** Ticks skipped so far because the sampler was behind. */
    public long skippedTicks() {
        return skippedTicks;
    }
}
