package io.chipwatch.alerting.insight;

import java.time.Duration;
import java.util.Objects;

/**
 * How the history check runs (docs/INSIGHTS.md).
 *
 * @param every            how often it looks (default 15 min; the lost chip-hours are written per window this long)
 * @param lemons           when a node is a repeat offender
 * @param wear             when a link is wearing
 * @param wearEvery        how often the (heavier) link wear query runs, default 1 h
 * @param throttleSlowdown the slowdown fraction counted for a power-throttled chip
 * @param lossRewrite      how far back each check rewrites the lost chip-hours (late close events), default 2 h
 */
public record InsightSettings(Duration every, RepeatOffenders.Policy lemons, LinkWear.Policy wear,
                              Duration wearEvery, double throttleSlowdown, Duration lossRewrite) {
    public static final InsightSettings DEFAULT = new InsightSettings(Duration.ofMinutes(15),
            RepeatOffenders.Policy.DEFAULT, LinkWear.Policy.DEFAULT, Duration.ofHours(1),
            StragglerCost.DEFAULT_THROTTLE_SLOWDOWN, Duration.ofHours(2));

    public InsightSettings {
        Objects.requireNonNull(lemons, "lemons");
        Objects.requireNonNull(wear, "wear");
        if (every.toMillis() < 1000 || wearEvery.toMillis() < 1000) {
            throw new IllegalArgumentException("the history check runs at most every second");
        }
        if (lossRewrite.compareTo(every) < 0) {
            lossRewrite = every;
        }
    }

    public InsightSettings withLemons(RepeatOffenders.Policy p) {
        return new InsightSettings(every, p, wear, wearEvery, throttleSlowdown, lossRewrite);
    }

    public InsightSettings withWear(LinkWear.Policy p) {
        return new InsightSettings(every, lemons, p, wearEvery, throttleSlowdown, lossRewrite);
    }

    public InsightSettings withEvery(Duration d) {
        return new InsightSettings(d, lemons, wear, wearEvery, throttleSlowdown, lossRewrite);
    }
}
