package io.chipwatch.cli.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.alerting.insight.AnomalyEvent;
import io.chipwatch.alerting.insight.InsightHistory;
import io.chipwatch.alerting.insight.LinkHour;
import io.chipwatch.cli.CommandRun;
import io.chipwatch.cli.capacity.CapacityCommand.InfluxTarget;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lemons} over a seeded week of anomalies and two days of link latency: the offenders and wearing links it
 * prints, counted by hand.
 */
class LemonsCommandTest {
    static final long NOW = 1_767_830_400_000L;   // 2026-01-08T00:00:00Z
    static final long H = 3_600_000L;
    static final long D = 24 * H;

    private final List<long[]> queried = new ArrayList<>();

    /** Node n1: 3 chip anomalies on c0 and a link one in the week; node n2: 2; one of n2 before the week. */
    private final InsightHistory history = new InsightHistory() {
        @Override
        public List<AnomalyEvent> anomalies(long from, long to, List<String> types) {
            queried.add(new long[]{from, to});
            List<AnomalyEvent> e = new ArrayList<>();
            for (int day : new int[]{6, 4, 1}) {
                e.add(new AnomalyEvent("straggler:n1-c0:" + day, "straggler", "chip", "n1-c0", "n1", "n1-c0", "", "j",
                        true, 0.7, NOW - day * D));
            }
            e.add(new AnomalyEvent("link_flap:L:1", "link_flap", "link", "L", "n1", "n1-c0", "L", "", true, 9,
                    NOW - 2 * D));
            e.add(new AnomalyEvent("overheat:n2-c1:1", "overheat", "chip", "n2-c1", "n2", "n2-c1", "", "", true, 97,
                    NOW - 3 * D));
            e.add(new AnomalyEvent("overheat:n2-c1:2", "overheat", "chip", "n2-c1", "n2", "n2-c1", "", "", true, 97,
                    NOW - 2 * D));
            return e.stream().filter(x -> x.timeMillis() >= from && x.timeMillis() < to).toList();
        }

        @Override
        public Map<String, Integer> jobChips(long from, long to) {
            return Map.of();
        }

        @Override
        public Map<String, List<LinkHour>> linkHours(long from, long to) {
            List<LinkHour> worn = new ArrayList<>();
            List<LinkHour> fine = new ArrayList<>();
            for (int h = 0; h < 48; h++) {
                worn.add(new LinkHour("worn", from + h * H, 2.0 + 0.02 * h));   // 2.0 → 2.94 µs: +47 %
                fine.add(new LinkHour("fine", from + h * H, 1.9));
            }
            return Map.of("worn", worn, "fine", fine);
        }
    };

    private CommandRun lemons(String... args) {
        LemonsCommand command = new LemonsCommand(() -> new InfluxTarget("http://influx:8086", "telemetry"))
                .with(t -> history, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        return CommandRun.execute(command, args);
    }

    @Test
    void listsTheNodeAndChipWithThreeOrMoreAnomaliesInTheLastWeek() {
        CommandRun run = lemons();
        assertThat(run.exit()).isZero();
        assertThat(queried).singleElement().satisfies(q -> assertThat(q).containsExactly(NOW - 7 * D, NOW));
        assertThat(run.outLines()).isEqualTo("""
                Repeat offenders: nodes, chips and links with 3 or more anomalies opened since 2026-01-01T00:00:00Z (1w)
                LEVEL  ENTITY  FIRST                 LAST                  TYPES                     ANOMALIES
                node   n1      2026-01-02T00:00:00Z  2026-01-07T00:00:00Z  link_flap 1, straggler 3          4
                chip   n1-c0   2026-01-02T00:00:00Z  2026-01-07T00:00:00Z  straggler 3                       3
                """);
    }

    @Test
    void aLowerLimitAndALevelAndJsonForScripts() throws Exception {
        CommandRun run = lemons("--min", "2", "--level", "node", "--since", "3d", "--json");
        assertThat(run.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        // Since 3 days: n1 has day 2 (link) and day 1 (straggler), n2 both overheats (days 3 and 2).
        assertThat(json.path("min").asInt()).isEqualTo(2);
        assertThat(json.path("offenders")).hasSize(2);
        assertThat(json.path("offenders").get(0).path("entity").asText()).isEqualTo("n1");
        assertThat(json.path("offenders").get(1).path("entity").asText()).isEqualTo("n2");
        assertThat(json.path("offenders").get(1).path("byType").path("overheat").asInt()).isEqualTo(2);
        assertThat(json.has("wearing")).isFalse();
    }

    @Test
    void wearingListsTheLinkWhoseLatencyCreptUp() {
        CommandRun run = lemons("--wearing", "--level", "link", "--min", "1");
        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).contains("""
                LEVEL  ENTITY  FIRST                 LAST                  TYPES        ANOMALIES
                link   L       2026-01-06T00:00:00Z  2026-01-06T00:00:00Z  link_flap 1          1
                """).contains("""
                LINK  HOURS  START_US  NOW_US  SLOPE_US_PER_H  RISE_%
                worn     48     2.000   2.940          0.0200    47.0
                """).doesNotContain("fine");
    }

    @Test
    void withoutAnInfluxDbItSaysHowToGetOne() {
        CommandRun run = CommandRun.execute(new LemonsCommand(() -> null));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no InfluxDB to read: start the stack with ./telemetry up");
        assertThat(CommandRun.execute(new LemonsCommand(() -> null), "--min", "0").exit()).isEqualTo(2);
    }
}
