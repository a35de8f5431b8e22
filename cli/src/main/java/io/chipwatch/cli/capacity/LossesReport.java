package io.chipwatch.cli.capacity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.alerting.insight.InsightHistory;
import io.chipwatch.alerting.insight.StragglerCost;
import io.chipwatch.alerting.insight.StragglerCost.Loss;
import io.chipwatch.cli.insight.TextTable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
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

    public void write(CapacityFormat format, PrintWriter out) {
        switch (format) {
            case table -> writeTable(out);
            case csv -> writeCsv(out);
            case json -> writeJson(out);
        }
        out.flush();
    }

    private void writeTable(PrintWriter out) {
        out.printf("Chip-hours lost to stragglers and power throttling from %s to %s: lost = hours x job chips x "
                + "slowdown (straggler: 1 - its utilisation / its peers'; throttling: %s)%n", start, end,
                TextTable.fixed(throttleSlowdown, 2));
        if (losses.isEmpty()) {
            out.println("(no straggler or throttling anomaly of a job in this window)");
            return;
        }
        for (boolean byNode : new boolean[]{false, true}) {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[]{byNode ? "NODE" : "JOB", "LOST_CHIP_HOURS"});
            StragglerCost.total(losses, byNode).forEach((k, v) -> lines.add(new String[]{k, TextTable.fixed(v, 2)}));
            out.println();
            TextTable.print(lines, 1, out);
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{"JOB", "NODE", "CHIP", "CAUSE", "HOURS", "JOB_CHIPS", "LOST_CHIP_HOURS"});
        for (Loss l : losses) {
            lines.add(new String[]{l.job(), l.node(), l.chip(), l.cause(), TextTable.fixed(l.hours(), 2),
                    String.valueOf(l.jobChips()), TextTable.fixed(l.chipHours(), 2)});
        }
        out.println();
        TextTable.print(lines, 4, out);
    }

    private void writeCsv(PrintWriter out) {
        out.println("job,node,chip,cause,hours,job_chips,lost_chip_hours");
        for (Loss l : losses) {
            out.println(String.join(",", l.job(), l.node(), l.chip(), l.cause(), TextTable.fixed(l.hours(), 6),
                    String.valueOf(l.jobChips()), TextTable.fixed(l.chipHours(), 6)));
        }
    }

    private void writeJson(PrintWriter out) {
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
        try {
            JSON.writeValue(out, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }
}
