package io.chipwatch.alerting.pathwatch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the path watch looks at and its limits.
 *
 * @param groups           stream job component name → its consumer group on the samples topic
 * @param lagLimit         a job this far behind the newest sample (in time of samples) is degraded
 * @param unreachableAfter Kafka or InfluxDB failing every look-up this long is degraded
 * @param deliveryLimit    a receiver failing every delivery this long is degraded
 * @param every            how often the probes run
 */
public record PathWatchSettings(Map<String, String> groups, Duration lagLimit, Duration unreachableAfter,
                                Duration deliveryLimit, Duration every) {
    /** The local stack's jobs, named as the supervisor names their components. */
    public static final Map<String, String> STACK_GROUPS = stackGroups();
    public static final PathWatchSettings DEFAULT = new PathWatchSettings(STACK_GROUPS, Duration.ofSeconds(60),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(5));

    public PathWatchSettings {
        groups = Map.copyOf(groups);
        for (Duration d : new Duration[] {lagLimit, unreachableAfter, deliveryLimit, every}) {
            Objects.requireNonNull(d, "durations");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("path watch durations must be positive, got " + d);
            }
        }
    }

    public PathWatchSettings withGroups(Map<String, String> newGroups) {
        return new PathWatchSettings(newGroups, lagLimit, unreachableAfter, deliveryLimit, every);
    }

    public PathWatchSettings withLagLimit(Duration limit) {
        return new PathWatchSettings(groups, limit, unreachableAfter, deliveryLimit, every);
    }

    private static Map<String, String> stackGroups() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("flink", "chipwatch-aggregation");
        m.put("detection", "chipwatch-detection");
        return m;
    }
}
