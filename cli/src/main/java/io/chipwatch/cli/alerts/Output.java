package io.chipwatch.cli.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chipwatch.alerting.api.AlertView;
import io.chipwatch.alerting.api.SilenceView;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How the {@code alerts} verbs print: {@code -o table} (aligned columns) or {@code -o json} (the API's JSON). */
enum Output {
    TABLE, JSON;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    void alerts(List<AlertView> alerts, PrintWriter out) {
        if (this == JSON) {
            json(alerts, out);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"FINGERPRINT", "SEVERITY", "ALERTNAME", "ENTITY", "STATE", "SINCE", "SUMMARY"});
        for (AlertView a : alerts) {
            rows.add(new String[]{a.fingerprint(), a.severity(), a.alertname(), dash(a.entity()), state(a),
                    dash(a.startsAt()), a.annotations() == null ? "-" : dash(a.annotations().get("summary"))});
        }
        table(rows, out);
    }

    void silences(List<SilenceView> silences, PrintWriter out) {
        if (this == JSON) {
            json(silences, out);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"ID", "STATE", "MATCHERS", "ENDS", "BY", "COMMENT"});
        for (SilenceView s : silences) {
            rows.add(new String[]{s.id(), s.state(), s.matchers().stream().map(Object::toString)
                    .collect(Collectors.joining(",")), dash(s.endsAt()), dash(s.createdBy()), dash(s.comment())});
        }
        table(rows, out);
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

    private static void json(Object value, PrintWriter out) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Columns padded to their widest cell; the last column is not padded. */
    private static void table(List<String[]> rows, PrintWriter out) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c == columns - 1 ? row[c] : String.format("%-" + width[c] + "s  ", row[c]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
