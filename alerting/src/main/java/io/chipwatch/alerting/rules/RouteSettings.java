package io.chipwatch.alerting.rules;

import java.time.Duration;
import java.util.List;

/**
 * Grouping and timing of notifications, as Alertmanager's route: alerts with the same values of {@code groupBy}
 * form one group (one notification); a new group waits {@code groupWait} for more alerts before its first
 * notification, then changes go out at most every {@code groupInterval}, and an unchanged firing group is sent
 * again after {@code repeatInterval}. {@code groupBy = ["..."]} groups by all labels (one alert a group).
 */
public record RouteSettings(List<String> groupBy, Duration groupWait, Duration groupInterval,
                            Duration repeatInterval) {
    public RouteSettings {
        groupBy = List.copyOf(groupBy);
    }

    /** True when every label groups (Alertmanager's {@code group_by: ['...']}). */
    public boolean groupByAll() {
        return groupBy.contains("...");
    }
}
