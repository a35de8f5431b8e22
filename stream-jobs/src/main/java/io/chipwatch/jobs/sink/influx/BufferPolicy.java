package io.chipwatch.jobs.sink.influx;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * When an {@link InfluxSink} writer sends what it buffered: as soon as {@code maxPoints} are buffered, and at the
 * latest {@code maxDelay} after the oldest buffered point arrived (besides every checkpoint). The delay bounds how
 * long a point waits for company: without it the last points of a window (the roll-ups the dashboards read first)
 * would wait for the next checkpoint, up to a whole checkpoint interval.
 *
 * @param maxPoints points per write request, at least 1
 * @param maxDelay  longest a buffered point waits; zero writes only on size and checkpoints
 */
public record BufferPolicy(int maxPoints, Duration maxDelay) implements Serializable {
    /** ~5000 lines is where one HTTP writer reaches its throughput here; a second is well under a window. */
    public static final BufferPolicy DEFAULT = new BufferPolicy(5000, Duration.ofSeconds(1));

    public BufferPolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxPoints < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + maxPoints);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("max buffer delay must not be negative, got " + maxDelay);
        }
    }
}
