package io.chipwatch.alerting.pipeline;

import io.chipwatch.alerting.alert.Alert;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What flows through the notification {@link Stage}s: the alerts of one group on their way to one receiver.
 *
 * @param receiver    the receiver's name
 * @param groupKey    the group's key, e.g. {@code {}:{alertname="NodeDown", entity="p00-r01-n02"}}
 * @param groupLabels the group_by labels and their values
 * @param alerts      the alerts still in the batch (firing and resolved)
 * @param reason      why it is sent, set by the dedup stage; null before it
 * @param now         the time of the flush, epoch ms
 */
public record Batch(String receiver, String groupKey, Map<String, String> groupLabels, List<Alert> alerts,
                    Reason reason, long now) {

    /** Why a notification goes out. */
    public enum Reason {
        /** At least one firing alert the receiver has not been told about. */
        NEW,
        /** At least one alert the receiver was told about has resolved. */
        RESOLVED,
        /** Nothing changed, but the group has been firing for {@code repeat_interval} since the last one. */
        REPEAT
    }

    public Batch {
        groupLabels = Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
    }

    public boolean isEmpty() {
        return alerts.isEmpty();
    }

    public List<Alert> firing() {
        return alerts.stream().filter(Alert::isFiring).toList();
    }

    public List<Alert> resolved() {
        return alerts.stream().filter(Alert::isResolved).toList();
    }

    /** The same batch with only the alerts {@code keep} accepts. */
    public Batch filter(Predicate<Alert> keep) {
        return new Batch(receiver, groupKey, groupLabels, alerts.stream().filter(keep).toList(), reason, now);
    }

    public Batch withAlerts(List<Alert> alerts) {
        return new Batch(receiver, groupKey, groupLabels, alerts, reason, now);
    }

    public Batch withReason(Reason reason) {
        return new Batch(receiver, groupKey, groupLabels, alerts, reason, now);
    }
}
