package io.chipwatch.cli.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.cli.output.Report;
import io.chipwatch.cli.output.Report.Table;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code capacity} prints, in the three formats of {@code -o} ({@link Report}); a pure function of a
 * {@link CapacityReport}.
 * <ul>
 *   <li>{@code table}: a caption line (window, source, filters, idle definition), then aligned columns for people;
 *       times as {@code yyyy-MM-dd HH:mm} UTC, utilisation, chip-hours and idle share with one decimal;</li>
 *   <li>{@code csv}: header {@code <by>,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,
 *       idle_percent}, one line per row, times ISO-8601 UTC, numbers rounded to 6 decimals without trailing
 *       zeros;</li>
 *   <li>{@code json}: one object: {@code by, since, step, total, resolution, source, idleBelowPercent, filter, start,
 *       end} and {@code rows}: [{@code entity, start, utilMeanPercent, chipHours, busyChipHours, idleChipHours,
 *       idlePercent}], numbers as in csv.</li>
 * </ul>
 * Chips without the grouping tag (only possible for {@code --by job}: chips in no job) are the entity
 * {@value #NO_ENTITY} in table and csv, {@code null} in json.
 */
public final class CapacityFormat {

    /** How table and csv name the chips that have no value for the grouping tag. */
    public static final String NO_ENTITY = "(none)";

    private static final DateTimeFormatter TABLE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CapacityFormat() {
    }

    public static Report report(CapacityReport report) {
        CapacityPlan p = report.plan();
        String filter = p.filter().describe();
        Report.Builder out = Report.builder();
        out.line("Capacity by %s from %s to %s UTC, %s, from %s (%s roll-ups)%s; idle: util_mean < %s %%", p.by(),
                TABLE_TIME.format(p.start()), TABLE_TIME.format(p.end()),
                p.total() ? "whole window" : "step " + CapacityDuration.format(p.step()), p.source(),
                p.resolution().label(), filter.isEmpty() ? "" : ", only " + filter,
                CapacityPlan.number(p.idleBelow()));
        List<List<String>> lines = new ArrayList<>();
        List<List<String>> csv = new ArrayList<>();
        for (CapacityRow r : report.rows()) {
            lines.add(List.of(entity(r), TABLE_TIME.format(r.start()), fixed(r.utilMean()), fixed(r.chipHours()),
                    fixed(r.busyChipHours()), fixed(r.idleChipHours()), fixed(r.idlePercent())));
            csv.add(List.of(entity(r), iso(r.start()), plain(r.utilMean()), plain(r.chipHours()),
                    plain(r.busyChipHours()), plain(r.idleChipHours()), plain(r.idlePercent())));
        }
        out.table(new Table(List.of(p.by().tag().toUpperCase(Locale.ROOT), "START", "UTIL_MEAN_%", "CHIP_HOURS",
                "BUSY_CHIP_HOURS", "IDLE_CHIP_HOURS", "IDLE_%"), lines, 2));
        if (report.rows().isEmpty()) {
            out.line("(no capacity data in this window)");
        }
        out.csv(new Table(List.of(p.by().tag(), "start", "util_mean_percent", "chip_hours", "busy_chip_hours",
                "idle_chip_hours", "idle_percent"), csv, 2));
        return out.json(json(report)).build();
    }

    private static ObjectNode json(CapacityReport report) {
        CapacityPlan p = report.plan();
        ObjectNode root = JSON.createObjectNode();
        root.put("by", p.by().tag());
        root.put("since", CapacityDuration.format(p.since()));
        if (p.total()) {
            root.putNull("step");
        } else {
            root.put("step", CapacityDuration.format(p.step()));
        }
        root.put("total", p.total());
        root.put("resolution", p.resolution().label());
        root.put("source", p.source());
        root.put("idleBelowPercent", round(p.idleBelow()));
        ObjectNode filter = root.putObject("filter");
        p.filter().given().forEach((tag, values) -> values.forEach(filter.putArray(tag)::add));
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
            row.put("busyChipHours", round(r.busyChipHours()));
            row.put("idleChipHours", round(r.idleChipHours()));
            row.put("idlePercent", round(r.idlePercent()));
        }
        return root;
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

    private static String plain(double v) {
        return round(v).toPlainString();
    }

    static BigDecimal round(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }
}
