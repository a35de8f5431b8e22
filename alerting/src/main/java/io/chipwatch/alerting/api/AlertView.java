package io.chipwatch.alerting.api;

import io.chipwatch.alerting.alert.Acknowledgement;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.engine.AlertInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert as the API and the on-call page show it (the JSON of {@code /api/alerts...}): times in RFC 3339,
 * {@code null} where not (yet) known, the evidence ({@code value}, {@code threshold}) null when not a number, and
 * what mutes it.
 */
public record AlertView(String fingerprint, String alertname, String severity, String status, String entity,
                        Map<String, String> labels, Map<String, String> annotations, String startsAt,
                        String firingAt, String endsAt, String updatedAt, Double value, Double threshold,
                        List<String> anomalyIds, AckView acknowledged, List<String> silencedBy,
                        List<String> inhibitedBy, boolean suppressed) {

    /** Who acknowledged the alert, when and why. */
    public record AckView(String by, String at, String comment) {
        static AckView of(Acknowledgement a) {
            return a == null ? null : new AckView(a.by(), iso(a.atMillis()), a.comment());
        }
    }

    /** The view of an alert with what mutes it. */
    public static AlertView of(AlertInfo info) {
        Alert a = info.alert();
        return new AlertView(a.fingerprint(), a.alertname(), a.severity(), a.status().label(),
                a.labels().get("entity"), a.labels(), a.annotations(), iso(a.startsAt()), iso(a.firingAt()),
                iso(a.endsAt()), iso(a.updatedAt()), finite(a.value()), finite(a.threshold()), a.openAnomalyIds(),
                AckView.of(a.acknowledgement()), info.silencedBy(), info.inhibitedBy(),
                !info.silencedBy().isEmpty() || !info.inhibitedBy().isEmpty());
    }

    /** The view of a resolved alert (nothing mutes it any more). */
    public static AlertView resolved(Alert a) {
        return of(new AlertInfo(a, List.of(), List.of()));
    }

    static String iso(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
