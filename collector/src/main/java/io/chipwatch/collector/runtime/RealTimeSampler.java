package io.chipwatch.collector.runtime;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.model.sample.ChipSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives a {@link ClusterSimulator} in real time: each tick runs when the wall clock reaches its timestamp,
 * and timestamps are aligned to the sampling interval (at 1 Hz, on the wall-clock second), so that samples from
 * any number of collectors line up. When a tick ends too late for the next one to run on time, the sampler
 * says so in the log and skips ahead to the next aligned slot, instead of falling further and further behind.
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
    private final Object lock = new Object();
    private boolean stopping;
    private volatile long ticks;
    private volatile long skippedTicks;

    /**
     * @param simulator whose next timestamp is at or before the first aligned slot from now
     * @param sink      receives every sample
     * @param listener  told about every tick
     */
    public RealTimeSampler(ClusterSimulator simulator, Consumer<? super ChipSample> sink, TickListener listener) {
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
        long first = alignUp(System.currentTimeMillis(), intervalMillis);
        if (first > simulator.nextTimestampMillis()) {
            simulator.skipTo(first);
        }
        while (awaitDue(simulator.nextTimestampMillis())) {
            long due = simulator.nextTimestampMillis();
            long start = System.nanoTime();
            simulator.tick(sink);
            long duration = System.nanoTime() - start;
            ticks++;
            long skipped = skipIfLate(due, duration);
            listener.onTick(due, duration, skipped);
        }
    }

    /** Waits until the wall clock reaches {@code dueMillis}; false when stopped first. */
    private boolean awaitDue(long dueMillis) {
        synchronized (lock) {
            while (!stopping) {
                long wait = dueMillis - System.currentTimeMillis();
                if (wait <= 0) {
                    return true;
                }
                try {
                    lock.wait(wait);
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
        long now = System.currentTimeMillis();
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

    /** Ticks skipped so far because the sampler was behind. */
    public long skippedTicks() {
        return skippedTicks;
    }
}
