package io.chipwatch.cli.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.alerting.insight.InsightHistory;
import io.chipwatch.alerting.insight.StragglerCost;
import io.chipwatch.alerting.insight.StragglerCost.Loss;
import io.chipwatch.cli.output.Report;
import io.chipwatch.cli.output.Report.Table;
import io.chipwatch.cli.output.TextTable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code capacity --losses}: chip-hours lost to stragglers and power throttling over {@code --since}, per job, per
 * node and per slow chip ({@link StragglerCost}: lost = hours × the job's chips × slowdown; docs/INSIGHTS.md).
 *
 * @param start            start of the range
 * @param end              end of the range (now)
 * @param throttleSlowdown the slowdown counted for a throttled chip
 * @param losses           one row per job, slow chip and cause, the largest first
 */
public record LossesReport(Instant start, Instant end, double throttleSlowdown, List<Loss> losses) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The anomaly measurement's retention: an anomaly open at the start opened at most this long before. */
    private static final Duration ANOMALY_RETENTION = Duration.ofDays(7);

    /** Reads the range's anomalies (and those open at its start) and the jobs' sizes, and computes the losses. */
    public static LossesReport read(InsightHistory history, Instant now, Duration since, double throttleSlowdown) {
        long end = now.toEpochMilli();
        long start = end - since.toMillis();
        List<Loss> losses = StragglerCost.losses(
                history.anomalies(start - ANOMALY_RETENTION.toMillis(), end, StragglerCost.TYPES),
                history.jobChips(start, end), start, end, throttleSlowdown);
        return new LossesReport(Instant.ofEpochMilli(start), now, throttleSlowdown, losses);
    }

    /** The three outputs: tables by job, by node and per slow chip; csv the per-chip rows; JSON totals and rows. */
    public Report report() {
        Report.Builder out = Report.builder();
        out.line("Chip-hours lost to stragglers and power throttling from %s to %s: lost = hours x job chips x "
                + "slowdown (straggler: 1 - its utilisation / its peers'; throttling: %s)", start, end,
                TextTable.fixed(throttleSlowdown, 2));
        List<List<String>> detail = new ArrayList<>();
        List<List<String>> csv = new ArrayList<>();
        for (Loss l : losses) {
            detail.add(List.of(l.job(), l.node(), l.chip(), l.cause(), TextTable.fixed(l.hours(), 2),
                    String.valueOf(l.jobChips()), TextTable.fixed(l.chipHours(), 2)));
            csv.add(List.of(l.job(), l.node(), l.chip(), l.cause(), TextTable.fixed(l.hours(), 6),
                    String.valueOf(l.jobChips()), TextTable.fixed(l.chipHours(), 6)));
        }
        if (losses.isEmpty()) {
            out.line("(no straggler or throttling anomaly of a job in this window)");
        } else {
            for (boolean byNode : new boolean[]{false, true}) {
                List<List<String>> totals = new ArrayList<>();
                StragglerCost.total(losses, byNode).forEach((k, v) -> totals.add(List.of(k, TextTable.fixed(v, 2))));
                out.line("").table(new Table(List.of(byNode ? "NODE" : "JOB", "LOST_CHIP_HOURS"), totals, 1));
            }
            out.line("").table(new Table(List.of("JOB", "NODE", "CHIP", "CAUSE", "HOURS", "JOB_CHIPS",
                    "LOST_CHIP_HOURS"), detail, 4));
        }
        out.csv(new Table(List.of("job", "node", "chip", "cause", "hours", "job_chips", "lost_chip_hours"), csv, 4));
        return out.json(json()).build();
    }

    private ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("start", start.toString());
        root.put("end", end.toString());
        root.put("formula", "lost chip-hours = hours x job chips x slowdown");
        root.put("throttleSlowdown", throttleSlowdown);
        for (boolean byNode : new boolean[]{false, true}) {
            ObjectNode totals = root.putObject(byNode ? "byNode" : "byJob");
            for (Map.Entry<String, Double> e : StragglerCost.total(losses, byNode).entrySet()) {
                totals.put(e.getKey(), e.getValue());
            }
        }
        ArrayNode rows = root.putArray("rows");
        for (Loss l : losses) {
            ObjectNode r = rows.addObject();
            r.put("job", l.job());
            r.put("node", l.node());
            r.put("chip", l.chip());
            r.put("cause", l.cause());
            r.put("hours", l.hours());
            r.put("jobChips", l.jobChips());
            r.put("lostChipHours", l.chipHours());
        }
        return root;
    }
}
