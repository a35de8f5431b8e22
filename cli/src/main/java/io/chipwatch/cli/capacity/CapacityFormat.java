package io.chipwatch.cli.capacity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The three outputs of {@code capacity}; pure functions of a {@link CapacityReport}.
 * <ul>
 *   <li>{@code table}: a caption line (window, source, idle definition), then aligned columns for people; times as
 *       {@code yyyy-MM-dd HH:mm} UTC, utilisation and idle share with one decimal, chip-hours with one decimal;</li>
 *   <li>{@code csv}: header {@code <by>,start,util_mean_percent,chip_hours,idle_chip_hours,idle_percent}, one line per
 *       row, times ISO-8601 UTC, numbers rounded to 6 decimals without trailing zeros;</li>
 *   <li>{@code json}: one object: {@code by, since, step, resolution, source, idleBelowPercent, start, end} and
 *       {@code rows}: [{@code entity, start, utilMeanPercent, chipHours, idleChipHours, idlePercent}], numbers as in
 *       csv.</li>
 * </ul>
 * Chips without the grouping tag (only possible for {@code --by job}: chips in no job) are the entity
 * {@value #NO_ENTITY} in table and csv, {@code null} in json.
 */
public enum CapacityFormat {
    table, csv, json;

    /** How table and csv name the chips that have no value for the grouping tag. */
    public static final String NO_ENTITY = "(none)";

    private static final DateTimeFormatter TABLE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    public void write(CapacityReport report, PrintWriter out) {
        switch (this) {
            case table -> writeTable(report, out);
            case csv -> writeCsv(report, out);
            case json -> writeJson(report, out);
        }
        out.flush();
    }

    private static void writeTable(CapacityReport report, PrintWriter out) {
        CapacityPlan p = report.plan();
        out.printf("Capacity by %s from %s to %s UTC, step %s, from %s (%s roll-ups); idle: util_mean < %s %%%n",
                p.by(), TABLE_TIME.format(p.start()), TABLE_TIME.format(p.end()), CapacityDuration.format(p.step()),
                p.source(), p.resolution().label(), CapacityPlan.number(p.idleBelow()));
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{p.by().tag().toUpperCase(), "START", "UTIL_MEAN_%", "CHIP_HOURS", "IDLE_CHIP_HOURS",
                "IDLE_%"});
        for (CapacityRow r : report.rows()) {
            lines.add(new String[]{entity(r), TABLE_TIME.format(r.start()), fixed(r.utilMean()), fixed(r.chipHours()),
                    fixed(r.idleChipHours()), fixed(r.idlePercent())});
        }
        int[] width = new int[6];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                // Names and times to the left, numbers to the right (headers follow their column).
                String cell = line[i];
                String pad = " ".repeat(width[i] - cell.length());
                sb.append(i < 2 ? cell + (i == line.length - 1 ? "" : pad) : pad + cell);
            }
            out.println(sb.toString().stripTrailing());
        }
        if (report.rows().isEmpty()) {
            out.println("(no capacity data in this window)");
        }
    }

    private static void writeCsv(CapacityReport report, PrintWriter out) {
        out.println(report.plan().by().tag() + ",start,util_mean_percent,chip_hours,idle_chip_hours,idle_percent");
        for (CapacityRow r : report.rows()) {
            out.println(String.join(",", csvCell(entity(r)), iso(r.start()), round(r.utilMean()).toPlainString(),
                    round(r.chipHours()).toPlainString(), round(r.idleChipHours()).toPlainString(),
                    round(r.idlePercent()).toPlainString()));
        }
    }

    private static void writeJson(CapacityReport report, PrintWriter out) {
        CapacityPlan p = report.plan();
        ObjectNode root = JSON.createObjectNode();
        root.put("by", p.by().tag());
        root.put("since", CapacityDuration.format(p.since()));
        root.put("step", CapacityDuration.format(p.step()));
        root.put("resolution", p.resolution().label());
        root.put("source", p.source());
        root.put("idleBelowPercent", round(p.idleBelow()));
        root.put("start", iso(p.start()));
        root.put("end", iso(p.end()));
        ArrayNode rows = root.putArray("rows");
        for (CapacityRow r : report.rows()) {
            ObjectNode row = rows.addObject();
            if (r.entity() == null) {
                row.putNull("entity");
            } else {
                row.put("entity", r.entity());
            }
            row.put("start", iso(r.start()));
            row.put("utilMeanPercent", round(r.utilMean()));
            row.put("chipHours", round(r.chipHours()));
            row.put("idleChipHours", round(r.idleChipHours()));
            row.put("idlePercent", round(r.idlePercent()));
        }
        try {
            JSON.writeValue(out, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    private static String entity(CapacityRow r) {
        return r.entity() == null ? NO_ENTITY : r.entity();
    }

    private static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    private static String fixed(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    static BigDecimal round(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static String csvCell(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
