package io.chipwatch.jobs.sink.influx;

import java.io.Serializable;
import java.time.Duration;

/**
 * Exponential backoff for failed writes: wait {@code initialBackoff}, then double up to {@code maxBackoff}
 * each time, and give up once the next wait would take the total past {@code maxTotal}.
 *
 * @param initialBackoff first wait
 * @param maxBackoff     cap on a single wait
 * @param maxTotal       cap on the time spent waiting for one write
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxTotal) implements Serializable {

    /** 200 ms doubling to 10 s, giving up after about a minute: rides out an InfluxDB restart. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60));

    public RetryPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxTotal.isNegative()) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and maxTotal >= 0, got "
                    + initialBackoff + ", " + maxBackoff + ", " + maxTotal);
        }
    }

    /** The wait before retry number {@code attempt} (1 = first retry). */
    Duration backoff(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
