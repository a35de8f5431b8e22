package io.chipwatch.cli.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.alerting.insight.AnomalyEvent;
import io.chipwatch.alerting.insight.InsightHistory;
import io.chipwatch.alerting.insight.LinkHour;
import io.chipwatch.cli.CommandRun;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code capacity --losses} over seeded straggler and throttling history; the figures worked out by hand. */
class CapacityLossesTest {
    static final long NOW = 1_767_830_400_000L;   // 2026-01-08T00:00:00Z
    static final long H = 3_600_000L;

    private final List<String> asked = new ArrayList<>();

    private final InsightHistory history = new InsightHistory() {
        @Override
        public List<AnomalyEvent> anomalies(long from, long to, List<String> types) {
            asked.add(types.toString());
            return List.of(
                    // j1 (32 chips): chip n1-c0 at 0.9 of its peers for 3 h: 3 × 32 × 0.1 = 9.6 chip-hours.
                    new AnomalyEvent("s1", "straggler", "chip", "n1-c0", "n1", "n1-c0", "", "j1", true, 0.9,
                            NOW - 5 * H),
                    new AnomalyEvent("s1", "straggler", "chip", "n1-c0", "n1", "n1-c0", "", "j1", false, 0.9,
                            NOW - 2 * H),
                    // j2 (8 chips): n2-c3 throttled for the last 30 min: 0.5 × 8 × 0.5 (--throttle-slowdown) = 2.
                    new AnomalyEvent("t1", "power_throttle", "chip", "n2-c3", "n2", "n2-c3", "", "j2", true, 400,
                            NOW - H / 2));
        }

        @Override
        public Map<String, Integer> jobChips(long from, long to) {
            return Map.of("j1", 32, "j2", 8);
        }

        @Override
        public Map<String, List<LinkHour>> linkHours(long from, long to) {
            return Map.of();
        }
    };

    private CommandRun capacity(String... args) {
        CapacityCommand command = new CapacityCommand("http://influx:8086", "telemetry")
                .with((url, db) -> { throw new AssertionError("no capacity roll-up is read"); },
                        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .withHistory((url, db) -> history);
        return CommandRun.execute(command, args);
    }

    @Test
    void lossesPerJobNodeAndChip() {
        CommandRun run = capacity("--losses", "--since", "1d", "--throttle-slowdown", "0.5");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(asked).containsExactly("[straggler, power_throttle]");
        assertThat(run.outLines()).contains("""
                JOB  LOST_CHIP_HOURS
                j1              9.60
                j2              2.00
                """).contains("""
                NODE  LOST_CHIP_HOURS
                n1               9.60
                n2               2.00
                """).contains("""
                JOB  NODE  CHIP   CAUSE           HOURS  JOB_CHIPS  LOST_CHIP_HOURS
                j1   n1    n1-c0  straggler        3.00         32             9.60
                j2   n2    n2-c3  power_throttle   0.50          8             2.00
                """);
    }

    @Test
    void jsonAndCsv() throws Exception {
        JsonNode json = new ObjectMapper().readTree(capacity("--losses", "--json").out());
        // The default throttling slowdown, 0.4: 0.5 × 8 × 0.4 = 1.6.
        assertThat(json.path("byJob").path("j2").asDouble()).isCloseTo(1.6, within(1e-9));
        assertThat(json.path("rows").get(0).path("lostChipHours").asDouble()).isCloseTo(9.6,
                within(1e-9));
        assertThat(capacity("--losses", "--format", "csv").outLines()).isEqualTo("""
                job,node,chip,cause,hours,job_chips,lost_chip_hours
                j1,n1,n1-c0,straggler,3.000000,32,9.600000
                j2,n2,n2-c3,power_throttle,0.500000,8,1.600000
                """);
        assertThat(capacity("--losses", "--throttle-slowdown", "2").exit()).isEqualTo(2);
    }
}
