package io.chipwatch.alerting.notify;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.pipeline.Batch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a receiver gets: the alerts of one group that passed the pipeline.
 *
 * @param receiver    receiver name
 * @param groupKey    the group's key
 * @param groupLabels its group_by labels
 * @param alerts      firing and resolved alerts
 * @param reason      why it is sent (new, resolved, repeat); null for a keepalive
 * @param externalUrl base URL of the alerting service (its web page)
 */
public record Notification(String receiver, String groupKey, Map<String, String> groupLabels, List<Alert> alerts,
                           Batch.Reason reason, String externalUrl) {

    public Notification {
        groupLabels = Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
    }

    public static Notification of(Batch batch, String externalUrl) {
        return new Notification(batch.receiver(), batch.groupKey(), batch.groupLabels(), batch.alerts(),
                batch.reason(), externalUrl);
    }

    /** "firing" when any alert fires, else "resolved". */
    public String status() {
        return alerts.stream().anyMatch(Alert::isFiring) ? "firing" : "resolved";
    }

    /** Labels all alerts share (same value). */
    public Map<String, String> commonLabels() {
        return common(alerts.stream().map(Alert::labels).toList());
    }

    /** Annotations all alerts share (same value). */
    public Map<String, String> commonAnnotations() {
        return common(alerts.stream().map(Alert::annotations).toList());
    }

    /** The link to an alert on the service's web page. */
    public String generatorUrl(Alert alert) {
        return externalUrl + "/#alert=" + alert.fingerprint();
    }

    private static Map<String, String> common(List<? extends Map<String, String>> maps) {
        if (maps.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>(maps.get(0));
        for (Map<String, String> m : maps.subList(1, maps.size())) {
            out.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return out;
    }
}
