package io.chipwatch.alerting.insight;

import io.chipwatch.alerting.insight.RepeatOffenders.Level;
import io.chipwatch.alerting.insight.RepeatOffenders.Offender;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A week of seeded anomaly history (open and close events as the {@code anomaly} measurement holds them), counted by
 * hand: which nodes, chips and links are repeat offenders.
 */
class RepeatOffendersTest {
    static final long T = 1_767_225_600_000L;
    static final long H = 3_600_000L;
    static final long D = 24 * H;

    /** Open event of a chip anomaly and its close an hour later. */
    static List<AnomalyEvent> chipAnomaly(String type, String node, String chip, long open) {
        String id = type + ":" + chip + ":" + open;
        return List.of(new AnomalyEvent(id, type, "chip", chip, node, chip, "", "j1", true, 0.7, open),
                new AnomalyEvent(id, type, "chip", chip, node, chip, "", "j1", false, 0.7, open + H));
    }

    static List<AnomalyEvent> week() {
        List<AnomalyEvent> e = new ArrayList<>();
        // n01: 4 anomalies in the week, 2 of them on chip c0, one on a link it reports.
        e.addAll(chipAnomaly("straggler", "p00-r00-n01", "p00-r00-n01-c0", T + 2 * H));
        e.addAll(chipAnomaly("overheat", "p00-r00-n01", "p00-r00-n01-c1", T + 2 * D));
        e.addAll(chipAnomaly("straggler", "p00-r00-n01", "p00-r00-n01-c0", T + 5 * D));
        e.add(new AnomalyEvent("link_degraded:L1:" + (T + 6 * D), "link_degraded", "link", "L1", "p00-r00-n01",
                "p00-r00-n01-c0", "L1", "", true, 40, T + 6 * D));
        // ... and the open event of its second straggler delivered twice (at-least-once): still one anomaly.
        e.add(e.get(4));
        // n02: 2 in the week, one the day before (its close falls in the week: not counted).
        e.addAll(chipAnomaly("power_throttle", "p00-r00-n02", "p00-r00-n02-c0", T - 2 * H));
        e.addAll(chipAnomaly("power_throttle", "p00-r00-n02", "p00-r00-n02-c0", T + D));
        e.addAll(chipAnomaly("stuck_sensor", "p00-r00-n02", "p00-r00-n02-c1", T + 3 * D));
        // n03: chip c3 went down 3 times.
        for (int i = 0; i < 3; i++) {
            e.addAll(chipAnomaly("chip_down", "p00-r00-n03", "p00-r00-n03-c3", T + (i + 1) * D + 7 * H));
        }
        // A rack's and the telemetry path's anomalies count for no node.
        for (int i = 0; i < 3; i++) {
            e.add(new AnomalyEvent("rack_cooling:p00-r00:" + i, "rack_cooling", "rack", "p00-r00", "", "", "", "",
                    true, 12, T + i * D));
            e.add(new AnomalyEvent("telemetry_silent:collector:" + i, "telemetry_silent", "source", "collector",
                    "p00-r00-n01", "", "", "", true, 12, T + i * D + H));
        }
        return e;
    }

    @Test
    void findsTheNodesChipsAndLinksWithThreeOrMoreAnomaliesInTheWeek() {
        List<Offender> found = RepeatOffenders.find(week(), T, T + 7 * D, 3);

        assertThat(found).extracting(Offender::level, Offender::entity, Offender::anomalies).containsExactly(
                tuple(Level.NODE, "p00-r00-n01", 4),
                tuple(Level.NODE, "p00-r00-n03", 3),
                tuple(Level.CHIP, "p00-r00-n03-c3", 3));
        Offender n01 = found.get(0);
        assertThat(n01.byType()).isEqualTo(new TreeMap<>(Map.of("straggler", 2, "overheat", 1, "link_degraded", 1)));
        assertThat(n01.firstMillis()).isEqualTo(T + 2 * H);
        assertThat(n01.lastMillis()).isEqualTo(T + 6 * D);
        assertThat(found.get(2).firstMillis()).isEqualTo(T + D + 7 * H);
        assertThat(found.get(2).lastMillis()).isEqualTo(T + 3 * D + 7 * H);
    }

    @Test
    void aLowerLimitAddsTheEntitiesWithTwoAndOne() {
        List<Offender> two = RepeatOffenders.find(week(), T, T + 7 * D, 2);
        assertThat(two).extracting(o -> o.level().label() + " " + o.entity() + " " + o.anomalies()).containsExactly(
                "node p00-r00-n01 4", "node p00-r00-n03 3", "chip p00-r00-n03-c3 3", "node p00-r00-n02 2",
                "chip p00-r00-n01-c0 2");
        List<Offender> one = RepeatOffenders.find(week(), T, T + 7 * D, 1);
        assertThat(RepeatOffenders.at(Level.LINK, one)).singleElement()
                .satisfies(o -> assertThat(o.entity() + " " + o.anomalies()).isEqualTo("L1 1"));
        assertThat(RepeatOffenders.at(Level.CHIP, one)).hasSize(5);
    }

    @Test
    void aShorterHistoryCountsOnlyWhatOpenedInIt() {
        // The last 3 days: n01 has its straggler of day 5 and the link of day 6; n03 its chip_down of day 3.
        List<Offender> found = RepeatOffenders.find(week(), T + 4 * D, T + 7 * D, 2);
        assertThat(found).extracting(Offender::entity).containsExactly("p00-r00-n01");
    }

    @Test
    void rejectsALimitBelowOne() {
        assertThatThrownBy(() -> new RepeatOffenders.Policy(0, Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anomaliesWithinARackIncidentOrATelemetryOutageCountForNoNode() {
        List<AnomalyEvent> e = new ArrayList<>();
        // Rack p00-r01 loses cooling for an hour: three chips of node n04 look stuck or hot meanwhile.
        String rc = "rack_cooling:p00-r01:" + (T + D);
        e.add(new AnomalyEvent(rc, "rack_cooling", "rack", "p00-r01", "p00-r01", "", "", "", "", true, 14, T + D));
        e.add(new AnomalyEvent(rc, "rack_cooling", "rack", "p00-r01", "p00-r01", "", "", "", "", false, 14,
                T + D + H));
        for (long at : new long[]{T + D - 30_000, T + D + 10 * 60_000, T + D + H + 50_000}) {
            String id = "stuck_sensor:p00-r01-n04-c1:" + at;
            e.add(new AnomalyEvent(id, "stuck_sensor", "chip", "p00-r01-n04-c1", "p00-r01", "p00-r01-n04",
                    "p00-r01-n04-c1", "", "", true, 60, at));
        }
        // The same node in another rack's incident, and before and after its own rack's: those count.
        e.add(new AnomalyEvent("overheat:x:1", "overheat", "chip", "p00-r01-n04-c2", "p00-r01", "p00-r01-n04",
                "p00-r01-n04-c2", "", "", true, 95, T + D - 2 * 60_000));
        e.add(new AnomalyEvent("overheat:x:2", "overheat", "chip", "p00-r01-n04-c2", "p00-r01", "p00-r01-n04",
                "p00-r01-n04-c2", "", "", true, 95, T + D + H + 2 * 60_000));
        // The whole telemetry path stopped (no node) and came back 5 minutes later: the chip_downs it left count not.
        String ts = "telemetry_silent:chip-samples:" + (T + 3 * D);
        e.add(new AnomalyEvent(ts, "telemetry_silent", "source", "chip-samples", "", "", "", "", "", true, 5,
                T + 3 * D));
        e.add(new AnomalyEvent(ts, "telemetry_silent", "source", "chip-samples", "", "", "", "", "", false, 5,
                T + 3 * D + 5 * 60_000));
        e.add(new AnomalyEvent("chip_down:y:1", "chip_down", "chip", "p00-r01-n04-c3", "p00-r01", "p00-r01-n04",
                "p00-r01-n04-c3", "", "", true, 3, T + 3 * D + 4 * 60_000));

        List<Offender> offenders = RepeatOffenders.at(Level.NODE, RepeatOffenders.find(e, T, T + 7 * D, 2));
        assertThat(offenders).extracting(Offender::entity, Offender::anomalies)
                .containsExactly(tuple("p00-r01-n04", 2));
        assertThat(offenders.get(0).byType()).isEqualTo(new TreeMap<>(Map.of("overheat", 2)));
        assertThat(RepeatOffenders.find(e, T, T + 7 * D, 3)).as("3 stuck sensors and a chip_down left out")
                .isEmpty();
    }
}
