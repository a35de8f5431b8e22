package io.chipwatch.cli.stack.supervise;

/**
 * The supervisor's two clocks: a monotonic one for backoff and "up for how long" (a wall-clock step must neither
 * fire nor hold back a restart), and the wall clock for the times it reports (alerts, the state file).
 */
public interface SupervisorClock {

    /** The system's clocks. */
    SupervisorClock SYSTEM = new SupervisorClock() {
        @Override
        public long monotonicMillis() {
            return System.nanoTime() / 1_000_000;
        }

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }
    };

    /** Milliseconds from an arbitrary origin, never going back. */
    long monotonicMillis();

    /** Milliseconds since the epoch. */
    long wallMillis();
}
