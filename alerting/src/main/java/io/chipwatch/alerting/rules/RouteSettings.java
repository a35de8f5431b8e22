package io.chipwatch.alerting.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Grouping and timing of notifications, as Alertmanager's route: alerts with the same values of {@code groupBy}
 * form one group (one notification); a new group waits {@code groupWait} for more alerts before its first
 * notification, then changes go out at most every {@code groupInterval}, and an unchanged firing group is sent
 * again after {@code repeatInterval}. {@code groupBy = ["..."]} groups by all labels (one alert a group).
 * {@code groupWaitByAlert} overrides {@code groupWait} for the groups whose first alert has that alertname (a rule's
 * own {@code group_wait}: an alert already root-caused by its detector has nothing to wait for).
 */
public record RouteSettings(List<String> groupBy, Duration groupWait, Duration groupInterval,
                            Duration repeatInterval, Map<String, Duration> groupWaitByAlert) {
    public RouteSettings {
        groupBy = List.copyOf(groupBy);
        groupWaitByAlert = Map.copyOf(groupWaitByAlert);
    }

    /** The route's settings, every alert waiting {@code groupWait}. */
    public RouteSettings(List<String> groupBy, Duration groupWait, Duration groupInterval, Duration repeatInterval) {
        this(groupBy, groupWait, groupInterval, repeatInterval, Map.of());
    }

    /** How long a new group whose first alert is named {@code alertname} waits before its first notification. */
    public Duration groupWait(String alertname) {
        return alertname == null ? groupWait : groupWaitByAlert.getOrDefault(alertname, groupWait);
    }

    /** These settings with {@code waits} (alertname to group_wait) as the per-alert overrides. */
    public RouteSettings withGroupWaits(Map<String, Duration> waits) {
        return new RouteSettings(groupBy, groupWait, groupInterval, repeatInterval, waits);
    }

    /** True when every label groups (Alertmanager's {@code group_by: ['...']}). */
    public boolean groupByAll() {
        return groupBy.contains("...");
    }
}
