package io.chipwatch.cli.capacity;

import io.chipwatch.cli.capacity.CapacityPlan.GroupBy;
import io.chipwatch.cli.output.OutputFormat;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CapacityFormatTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:30:00Z");
    private static final Instant DAY1 = Instant.parse("2026-03-07T00:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-03-08T00:00:00Z");

    private static CapacityReport report() {
        CapacityPlan plan = CapacityPlan.of(GroupBy.job, Duration.ofDays(3), Duration.ofDays(1), 5, NOW);
        return new CapacityReport(plan, List.of(
                new CapacityRow("j1", DAY1, 70, 2, 0),
                new CapacityRow("train-llm", DAY2, 26.55, 1234.5, 10.25),
                new CapacityRow(null, DAY1, 3, 2, 2)));
    }

    private static String write(OutputFormat format, CapacityReport report) {
        StringWriter s = new StringWriter();
        CapacityFormat.report(report).print(format, new PrintWriter(s));
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void tableIsAlignedWithACaption() {
        assertThat(write(OutputFormat.table, report())).isEqualTo(
                "Capacity by job from 2026-03-07 00:00 to 2026-03-10 12:30 UTC, step 1d, from capacity_3y.chip_1h "
                        + "(1h roll-ups); idle: util_mean < 5 %\n"
                        + "JOB        START             UTIL_MEAN_%  CHIP_HOURS  BUSY_CHIP_HOURS  IDLE_CHIP_HOURS  IDLE_%\n"
                        + "j1         2026-03-07 00:00         70.0         2.0              2.0              0.0     0.0\n"
                        + "train-llm  2026-03-08 00:00         26.6      1234.5           1224.3             10.3     0.8\n"
                        + "(none)     2026-03-07 00:00          3.0         2.0              0.0              2.0   100.0\n");
    }

    @Test
    void csvHasAHeaderAndUnroundedValues() {
        assertThat(write(OutputFormat.csv, report())).isEqualTo(
                "job,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "j1,2026-03-07T00:00:00Z,70,2,2,0,0\n"
                        + "train-llm,2026-03-08T00:00:00Z,26.55,1234.5,1224.25,10.25,0.830296\n"
                        + "(none),2026-03-07T00:00:00Z,3,2,0,2,100\n");
    }

    @Test
    void jsonHasThePlanAndTheRowsWithNullForChipsInNoJob() {
        assertThat(write(OutputFormat.json, report()).replaceAll("\\s+", "")).isEqualTo(
                "{\"by\":\"job\",\"since\":\"3d\",\"step\":\"1d\",\"total\":false,\"resolution\":\"1h\","
                        + "\"source\":\"capacity_3y.chip_1h\",\"idleBelowPercent\":5,\"filter\":{},\"start\":\"2026-03-07T00:00:00Z\",\"end\":\"2026-03-10T12:30:00Z\","
                        + "\"rows\":["
                        + "{\"entity\":\"j1\",\"start\":\"2026-03-07T00:00:00Z\",\"utilMeanPercent\":70,\"chipHours\":2,"
                        + "\"busyChipHours\":2,\"idleChipHours\":0,\"idlePercent\":0},"
                        + "{\"entity\":\"train-llm\",\"start\":\"2026-03-08T00:00:00Z\",\"utilMeanPercent\":26.55,"
                        + "\"chipHours\":1234.5,\"busyChipHours\":1224.25,\"idleChipHours\":10.25,\"idlePercent\":0.830296},"
                        + "{\"entity\":null,\"start\":\"2026-03-07T00:00:00Z\",\"utilMeanPercent\":3,\"chipHours\":2,"
                        + "\"busyChipHours\":0,\"idleChipHours\":2,\"idlePercent\":100}]}");
    }

    @Test
    void anEmptyReportSaysSo() {
        CapacityPlan plan = CapacityPlan.of(GroupBy.pod, Duration.ofDays(3), Duration.ofDays(1), 5, NOW);
        CapacityReport empty = new CapacityReport(plan, List.of());
        assertThat(write(OutputFormat.table, empty)).endsWith("(no capacity data in this window)\n");
        assertThat(write(OutputFormat.csv, empty))
                .isEqualTo("pod,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n");
        assertThat(write(OutputFormat.json, empty).replaceAll("\\s+", "")).endsWith("\"rows\":[]}");
    }
}
