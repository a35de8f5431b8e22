package io.chipwatch.collector.runtime;

/**
 * The clocks a {@link RealTimeSampler} runs on: a monotonic one that schedules the ticks (a wall-clock step can
 * neither stall nor rush them), the wall clock that the sample timestamps follow, and the wait between ticks.
 * Injectable so that tests step the wall clock without waiting.
 */
public interface SamplerClock {

    /** The system's clocks; the wait is {@link Object#wait(long)} on the sampler's lock, so a stop ends it. */
    SamplerClock SYSTEM = new SamplerClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void await(Object lock, long nanos) throws InterruptedException {
            lock.wait(Math.max(1, (nanos + 999_999) / 1_000_000));
        }
    };

    /** Monotonic nanoseconds from an arbitrary origin. */
    long nanoTime();

    /** Milliseconds since the epoch, as the system clock says now (it may step). */
    long wallMillis();

    /** Waits up to {@code nanos} while holding {@code lock} (released during the wait). */
    void await(Object lock, long nanos) throws InterruptedException;
}
