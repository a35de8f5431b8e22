package io.chipwatch.alerting.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One alert: a problem (identified by its {@link #labels()} and their {@link #fingerprint()}) made of one or more
 * open anomalies, as the pipeline and the API see it. Immutable; changes make copies ({@code with...}).
 *
 * <p>Times are epoch milliseconds; {@code null} where not (yet) known.
 *
 * @param fingerprint      {@link Fingerprint#of} the labels
 * @param labels           alertname, severity, type, scope, entity, the hierarchy tags, the rule's labels
 * @param annotations      summary, description, runbook_url, dashboard, anomaly_id ...
 * @param status           pending, firing or resolved
 * @param startsAt         when the problem started (the first anomaly's start)
 * @param fireAt           when a pending alert turns firing (start + the rule's {@code for})
 * @param firingAt         when it turned firing; null while pending and for an alert that never fired
 * @param endsAt           when it resolved; null unless resolved
 * @param receivedAt       when this service first saw it (for the delivery latency)
 * @param updatedAt        last change
 * @param openAnomalyIds   ids of the open anomalies behind it; it resolves when the last one closes
 * @param closedAnomalyIds ids of anomalies already closed (the last few), so that redelivered events change nothing
 * @param value            evidence: the last anomaly's value
 * @param threshold        evidence: the last anomaly's threshold
 * @param acknowledgement  who took it, or null
 */
public record Alert(String fingerprint, SortedMap<String, String> labels, SortedMap<String, String> annotations,
                    AlertStatus status, long startsAt, long fireAt, Long firingAt, Long endsAt, long receivedAt,
                    long updatedAt, List<String> openAnomalyIds, List<String> closedAnomalyIds, double value,
                    double threshold, Acknowledgement acknowledgement) {

    /** How many closed anomaly ids an alert remembers. */
    public static final int CLOSED_IDS_KEPT = 32;

    public Alert {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations == null ? Map.of() : annotations));
        openAnomalyIds = List.copyOf(openAnomalyIds == null ? List.of() : openAnomalyIds);
        List<String> closed = closedAnomalyIds == null ? List.of() : closedAnomalyIds;
        if (closed.size() > CLOSED_IDS_KEPT) {
            closed = closed.subList(closed.size() - CLOSED_IDS_KEPT, closed.size());
        }
        closedAnomalyIds = List.copyOf(closed);
    }

    @JsonIgnore
    public String alertname() {
        return labels.getOrDefault("alertname", "");
    }

    @JsonIgnore
    public String severity() {
        return labels.getOrDefault("severity", "");
    }

    @JsonIgnore
    public boolean isFiring() {
        return status == AlertStatus.FIRING;
    }

    @JsonIgnore
    public boolean isResolved() {
        return status == AlertStatus.RESOLVED;
    }

    /** True once it has been firing (a resolved alert that never fired was only ever pending). */
    @JsonIgnore
    public boolean hasFired() {
        return firingAt != null;
    }

    @JsonIgnore
    public boolean isAcknowledged() {
        return acknowledgement != null;
    }

    public Alert withStatus(AlertStatus status, long now) {
        return new Alert(fingerprint, labels, annotations, status, startsAt, fireAt,
                status == AlertStatus.FIRING && firingAt == null ? Long.valueOf(now) : firingAt,
                status == AlertStatus.RESOLVED ? (endsAt != null ? endsAt : Long.valueOf(now)) : null,
                receivedAt, now, openAnomalyIds, closedAnomalyIds, value, threshold, acknowledgement);
    }

    public Alert withAcknowledgement(Acknowledgement ack, long now) {
        return new Alert(fingerprint, labels, annotations, status, startsAt, fireAt, firingAt, endsAt, receivedAt,
                now, openAnomalyIds, closedAnomalyIds, value, threshold, ack);
    }
}
