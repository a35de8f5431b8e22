package io.chipwatch.cli.stack.supervise;

import java.time.Duration;

/**
 * When the supervisor restarts a component that died, and when it stops trying: exponential backoff over the
 * restarts in a row (a component that stayed up for {@code stableAfter} starts again from {@code initial}), and a
 * give-up after {@code giveUpAfter} restarts in a row that did not hold (a crash loop: a broken build, a port
 * taken for good), so a broken component does not restart forever; the next {@code up} tries again.
 *
 * @param initial     delay before the first restart after a crash
 * @param max         the longest delay
 * @param stableAfter how long a restarted component must stay up for its next crash to count as a first one
 * @param giveUpAfter restarts in a row (started or failed to start) after which the supervisor stops trying
 * @param resolveAfter how long a restarted component must serve before its alert resolves: longer than the alerting
 *                    service's own collector watch (10 s of no sample), so that a collector that serves but has not
 *                    sent yet is one alert, not one resolved and another raised
 * @param hungAfter   how long a running component may leave every health probe unanswered (no HTTP answer at all,
 *                    not merely an unhealthy one) before it counts as hung and is killed, then restarted like one
 *                    that died; also the grace after a start; zero: never
 */
public record RestartPolicy(Duration initial, Duration max, Duration stableAfter, int giveUpAfter,
                            Duration resolveAfter, Duration hungAfter) {

    /**
     * 1 s, 2 s, 4 s ... up to 60 s; stable after 60 s up; gives up after 8 in a row; resolves after 15 s up; hung
     * after 60 s without an answer.
     */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(60), 8, Duration.ofSeconds(15), Duration.ofSeconds(60));

    public RestartPolicy {
        if (initial.isNegative() || max.compareTo(initial) < 0 || giveUpAfter < 1 || hungAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 <= initial <= max, giveUpAfter >= 1 and hungAfter >= 0");
        }
    }

    /** The delay before restart number {@code inARow} (1 for the first after a stable run). */
    public Duration delay(int inARow) {
        int doublings = Math.min(Math.max(inARow - 1, 0), 30);
        long millis = initial.toMillis() << doublings;
        return millis < 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /** True when {@code inARow} restarts in a row have been tried and none held. */
    public boolean givesUp(int inARow) {
        return inARow >= giveUpAfter;
    }
}
