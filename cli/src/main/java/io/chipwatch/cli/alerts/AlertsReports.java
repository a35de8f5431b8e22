package io.chipwatch.cli.alerts;

import io.chipwatch.alerting.api.AlertView;
import io.chipwatch.alerting.api.SilenceView;
import io.chipwatch.cli.output.Report;
import io.chipwatch.cli.output.Report.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the {@code alerts} verbs print ({@link Report}): the table and csv have the same columns (csv leaves a missing
 * value empty, the table shows "-"); the JSON is the API's.
 */
final class AlertsReports {
    private static final List<String> ALERT_COLUMNS =
            List.of("FINGERPRINT", "SEVERITY", "ALERTNAME", "ENTITY", "STATE", "SINCE", "SUMMARY");
    private static final List<String> SILENCE_COLUMNS = List.of("ID", "STATE", "MATCHERS", "ENDS", "BY", "COMMENT");

    private AlertsReports() {
    }

    static Report alerts(List<AlertView> alerts) {
        List<List<String>> rows = new ArrayList<>();
        for (AlertView a : alerts) {
            rows.add(Arrays.asList(a.fingerprint(), a.severity(), a.alertname(), a.entity(), state(a),
                    a.startsAt(), a.annotations() == null ? null : a.annotations().get("summary")));
        }
        return report(ALERT_COLUMNS, rows, alerts);
    }

    static Report silences(List<SilenceView> silences) {
        List<List<String>> rows = new ArrayList<>();
        for (SilenceView s : silences) {
            rows.add(Arrays.asList(s.id(), s.state(), s.matchers().stream().map(Object::toString)
                    .collect(Collectors.joining(",")), s.endsAt(), s.createdBy(), s.comment()));
        }
        return report(SILENCE_COLUMNS, rows, silences);
    }

    private static Report report(List<String> columns, List<List<String>> rows, Object json) {
        List<List<String>> dashed = rows.stream().map(r -> r.stream().map(AlertsReports::dash).toList()).toList();
        return Report.builder()
                .table(Table.text(columns, dashed))
                .csv(Table.text(columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList(), rows))
                .json(json)
                .build();
    }

    /** {@code firing}, {@code acknowledged (by alice)}, plus what mutes it. */
    static String state(AlertView a) {
        StringBuilder s = new StringBuilder(a.acknowledged() != null
                ? "acknowledged (by " + a.acknowledged().by() + ")" : a.status());
        if (a.silencedBy() != null && !a.silencedBy().isEmpty()) {
            s.append(", silenced");
        }
        if (a.inhibitedBy() != null && !a.inhibitedBy().isEmpty()) {
            s.append(", inhibited");
        }
        return s.toString();
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
