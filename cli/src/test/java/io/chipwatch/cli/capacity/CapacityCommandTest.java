package io.chipwatch.cli.capacity;

import io.chipwatch.cli.CommandRun;
import io.chipwatch.cli.InfluxResults;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.chipwatch.cli.InfluxResults.result;
import static org.assertj.core.api.Assertions.assertThat;

class CapacityCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T12:30:00Z"), ZoneOffset.UTC);
    private static final long DAY1 = Instant.parse("2026-03-07T00:00:00Z").toEpochMilli();
    private static final long DAY2 = Instant.parse("2026-03-08T00:00:00Z").toEpochMilli();

    /** Answers the usage query and the idle query with canned results, and remembers what it was asked. */
    private static final class FakeSource implements CapacitySource {
        final List<String> asked = new ArrayList<>();
        final List<String> targets = new ArrayList<>();
        QueryResult usage = result(null);
        QueryResult idle = result(null);
        QueryResult tagKeys = result(null);

        @Override
        public QueryResult query(String influxql) {
            asked.add(influxql);
            if (influxql.startsWith("SHOW TAG KEYS")) {
                return tagKeys;
            }
            return influxql.contains("idle_points") ? idle : usage;
        }
    }

    private static CommandRun run(CapacityCommand command, FakeSource source, String... args) {
        command.with((url, db) -> {
            source.targets.add(url + "/" + db);
            return source;
        }, CLOCK);
        return CommandRun.execute(command, args);
    }

    private static QueryResult.Series series(String tag, String value, List<String> columns, List<List<Object>> rows) {
        return InfluxResults.series("chip_1h", Map.of(tag, value), columns, rows);
    }

    @Test
    void mergesUsageAndIdlePerEntityAndStep() {
        FakeSource source = new FakeSource();
        source.usage = result(null,
                series("pod", "p01", List.of("time", "util_mean", "points"), List.of(List.of(DAY1, 26.5, 2.0))),
                series("pod", "p00", List.of("time", "util_mean", "points"),
                        List.of(List.of(DAY1, 36.5, 4.0), List.of(DAY2, 90.0, 1.0))));
        source.idle = result(null,
                series("pod", "p00", List.of("time", "idle_points"), List.of(List.of(DAY1, 2.0))),
                series("pod", "p01", List.of("time", "idle_points"), List.of(List.of(DAY1, 1.0))));
        CommandRun run = run(new CapacityCommand("http://influx:8086", "telemetry"), source,
                "--by", "pod", "--since", "3d", "--step", "1d", "--format", "csv");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.outLines()).isEqualTo(
                "pod,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "p00,2026-03-07T00:00:00Z,36.5,4,2,2,50\n"
                        + "p00,2026-03-08T00:00:00Z,90,1,1,0,0\n"
                        + "p01,2026-03-07T00:00:00Z,26.5,2,1,1,50\n");
        assertThat(source.targets).containsExactly("http://influx:8086/telemetry");
        assertThat(source.asked).hasSize(2).allMatch(q -> q.contains("\"capacity_3y\".\"chip_1h\""));
    }

    @Test
    void theDefaultsAreThirtyDaysInDailyStepsByPodAsATable() {
        FakeSource source = new FakeSource();
        CommandRun run = run(new CapacityCommand("http://influx:8086", "telemetry"), source);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Capacity by pod from 2026-02-08 00:00 to 2026-03-10 12:30 UTC, step 1d, "
                + "from capacity_3y.chip_1h (1h roll-ups); idle: util_mean < 5 %");
        assertThat(source.asked.get(0)).contains("GROUP BY time(1d), \"pod\"");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        Map<String[], String> cases = Map.of(
                new String[]{"--by", "chip"}, "Invalid value for option '--by'",
                new String[]{"--since", "forever"}, "Invalid value for option '--since': 'forever' is not a duration",
                new String[]{"--step", "10s"}, "Invalid value for option '--step': '10s' is not a duration",
                new String[]{"--format", "xml"}, "Invalid value for option '--format'",
                new String[]{"--since", "1d", "--step", "2d"}, "--step 2d is longer than --since 1d",
                new String[]{"--idle-below", "abc"}, "Invalid value for option '--idle-below'",
                new String[]{"--database", "x"}, "--database needs --influx-url",
                new String[]{"--bogus"}, "Unknown option: '--bogus'");
        cases.forEach((args, message) -> {
            FakeSource source = new FakeSource();
            CommandRun run = run(new CapacityCommand("http://influx:8086", "telemetry"), source, args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).as(String.join(" ", args)).contains(message);
            assertThat(source.asked).isEmpty();
        });
        CommandRun run = run(new CapacityCommand(), new FakeSource(), "--by", "chip");
        assertThat(run.err()).contains("expected one of [pod, rack, node, job]");
    }

    @Test
    void withoutAnInfluxDbOrWithAnErrorItSaysWhatToDo() {
        CommandRun none = run(new CapacityCommand(), new FakeSource());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no InfluxDB to read").contains("./telemetry up").contains("--influx-url");

        FakeSource missing = new FakeSource();
        missing.usage = result("retention policy not found: capacity_3y");
        CommandRun noRollups = run(new CapacityCommand("http://influx:8086", "telemetry"), missing);
        assertThat(noRollups.exit()).isEqualTo(1);
        assertThat(noRollups.err()).contains("retention policy not found: capacity_3y")
                .contains("capacity_3y.chip_1h is written by the aggregation job");

        FakeSource explicit = new FakeSource();
        CommandRun other = run(new CapacityCommand(), explicit, "--influx-url", "http://elsewhere:8086", "--format", "json");
        assertThat(other.exit()).as(other.err()).isZero();
        assertThat(explicit.targets).containsExactly("http://elsewhere:8086/telemetry");
        assertThat(other.out()).contains("\"rows\" : [ ]");
    }

    @Test
    void byJobRefusesChipRollupsWithoutTheJobTag() {
        FakeSource source = new FakeSource();
        QueryResult.Series keys = InfluxResults.series("chip_1h", null, List.of("tagKey"),
                List.of(List.of("chip"), List.of("node"), List.of("pod"), List.of("rack")));
        source.tagKeys = result(null, keys);
        CommandRun run = run(new CapacityCommand("http://influx:8086", "telemetry"), source, "--by", "job");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--by job needs the tag job on capacity_3y.chip_1h, which has only chip, node, "
                + "pod, rack");
        assertThat(source.asked).hasSize(1).allMatch(q -> q.equals("SHOW TAG KEYS FROM \"capacity_3y\".\"chip_1h\""));

        // Other groupings do not ask.
        FakeSource byPod = new FakeSource();
        byPod.tagKeys = source.tagKeys;
        assertThat(run(new CapacityCommand("http://influx:8086", "telemetry"), byPod, "--by", "pod").exit()).isZero();
        assertThat(byPod.asked).noneMatch(q -> q.startsWith("SHOW"));
    }

    @Test
    void theInfluxDbIsLookedUpOnlyWhenTheCommandRuns() {
        List<String> lookups = new ArrayList<>();
        CapacityCommand command = new CapacityCommand(() -> {
            lookups.add("asked");
            return new CapacityCommand.InfluxTarget("http://stack:8086", "telemetry");
        });
        assertThat(lookups).isEmpty();
        FakeSource source = new FakeSource();
        assertThat(run(command, source, "--since", "12h", "--step", "1h").exit()).isZero();
        assertThat(lookups).hasSize(1);
        assertThat(source.asked.get(0)).contains("\"capacity_90d\".\"chip_1m\"");
    }

    @Test
    void totalGroupsByEntityOnlyAndFiltersNarrowTheChips() {
        FakeSource source = new FakeSource();
        CommandRun run = run(new CapacityCommand("http://influx:8086", "telemetry"), source, "--by", "job",
                "--since", "7d", "--total", "--pod", "p00", "--pod", "p01", "--rack", "p00-r01", "--job", "j1",
                "-o", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        long start = CLOCK.instant().minusSeconds(7 * 86_400L).toEpochMilli();
        assertThat(source.asked.get(1)).isEqualTo("SELECT mean(\"util_mean\") AS \"util_mean\", count(\"util_mean\") "
                + "AS \"points\" FROM \"capacity_3y\".\"chip_1h\" WHERE time >= " + start + "ms AND time <= "
                + CLOCK.millis() + "ms AND (\"pod\" = 'p00' OR \"pod\" = 'p01') AND \"rack\" = 'p00-r01' AND "
                + "\"job\" = 'j1' GROUP BY \"job\"");
        assertThat(source.asked.get(2)).startsWith("SELECT count(\"util_mean\") AS \"idle_points\"")
                .contains("\"util_mean\" < 5 AND time >= ").endsWith("\"job\" = 'j1' GROUP BY \"job\"");
        assertThat(run.out().replaceAll("\\s+", "")).contains("\"step\":null,\"total\":true")
                .contains("\"filter\":{\"pod\":[\"p00\",\"p01\"],\"rack\":[\"p00-r01\"],\"job\":[\"j1\"]}");
    }

    @Test
    void theDeprecatedFormatAndJsonStillWorkButMayNotContradictOutput() {
        FakeSource source = new FakeSource();
        assertThat(run(new CapacityCommand("http://influx:8086", "telemetry"), source, "--format", "csv").outLines())
                .startsWith("pod,start,");
        assertThat(run(new CapacityCommand("http://influx:8086", "telemetry"), source, "--json").out())
                .contains("\"rows\" : [ ]");
        CommandRun both = run(new CapacityCommand("http://influx:8086", "telemetry"), new FakeSource(),
                "--format", "csv", "-o", "json");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--format csv contradicts -o json");
    }
}
