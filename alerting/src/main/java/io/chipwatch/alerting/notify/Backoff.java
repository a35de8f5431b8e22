package io.chipwatch.alerting.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between delivery attempts: {@code initial}, doubling, capped at {@code max}, with ±10 %
 * jitter so that many groups waiting on one receiver do not retry in lockstep.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));

    /** The wait after the {@code failures}-th failed attempt (1 = after the first). */
    public Duration delay(int failures) {
        long base = initial.toMillis();
        long delay = failures >= 30 ? max.toMillis() : Math.min(max.toMillis(), base << Math.max(0, failures - 1));
        double jitter = 0.9 + 0.2 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (delay * jitter)));
    }
}
