package io.chipwatch.alerting.insight;

import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import io.chipwatch.model.anomaly.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** The history check on a hand-moved clock over fixed history: what it raises, closes and writes. */
class InsightCheckTest {
    static final long T = 1_767_225_600_000L;
    static final long H = 3_600_000L;
    static final long D = 24 * H;

    private final MutableClock clock = new MutableClock(T);
    private final List<AnomalyEvent> events = new ArrayList<>();
    private final Map<String, List<LinkHour>> links = new TreeMap<>();
    private final List<Anomaly> ingested = new ArrayList<>();
    private final Map<Long, List<StragglerCost.Loss>> written = new TreeMap<>();

    private final InsightHistory history = new InsightHistory() {
        @Override
        public List<AnomalyEvent> anomalies(long from, long to, List<String> types) {
            return events.stream().filter(e -> e.timeMillis() >= from && e.timeMillis() < to).toList();
        }

        @Override
        public Map<String, Integer> jobChips(long from, long to) {
            return Map.of("j1", 10);
        }

        @Override
        public Map<String, List<LinkHour>> linkHours(long from, long to) {
            Map<String, List<LinkHour>> in = new TreeMap<>();
            links.forEach((link, hours) -> in.put(link, hours.stream()
                    .filter(h -> h.hourMillis() >= from && h.hourMillis() < to).toList()));
            return in;
        }
    };

    private InsightCheck check(List<Anomaly> adopted) {
        return new InsightCheck(history, (losses, ws) -> written.put(ws, losses), InsightSettings.DEFAULT, batch -> {
            ingested.addAll(batch);
            return CompletableFuture.completedFuture(null);
        }, adopted, clock, 48);
    }

    @Test
    void raisesALemonOnceWhenANodeHasThreeAnomaliesInAWeekAndClosesItWhenTwoHaveAgedOut() {
        for (int day = 3; day >= 1; day--) {
            events.addAll(RepeatOffendersTest.chipAnomaly("overheat", "p00-r00-n01", "p00-r00-n01-c0", T - day * D));
        }
        InsightCheck check = check(List.of());
        check.check();
        assertThat(ingested).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.LEMON);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.scope()).isEqualTo(Scope.NODE);
            assertThat(a.entity()).isEqualTo("p00-r00-n01");
            assertThat(a.tags()).isEqualTo(Map.of("pod", "p00", "rack", "p00-r00", "node", "p00-r00-n01"));
            assertThat(a.id()).isEqualTo("lemon:p00-r00-n01:" + T);
            assertThat(a.facts()).containsEntry("anomalies", 3.0).containsEntry("anomalies_limit", 3.0)
                    .containsEntry("history_s", 604_800.0);
            assertThat(a.detail()).isEqualTo("3 anomalies in the last 7 d (a repeat offender from 3): 3 overheat");
        });

        clock.advance(Duration.ofMinutes(15));
        check.check();
        assertThat(ingested).as("still a lemon: nothing new").hasSize(1);

        // 4 days on, the anomaly of T - 3 d is 7 days and 1 ms old: 2 left, one under the limit: still a lemon
        // (hysteresis: one anomaly ageing out while the next comes in must not resolve and re-raise it).
        clock.set(T + 4 * D + 1);
        check.check();
        assertThat(ingested).as("2 anomalies: kept").hasSize(1);

        // A day later the one of T - 2 d ages out too: 1 left, no longer a lemon.
        clock.set(T + 5 * D + 1);
        check.check();
        assertThat(ingested).hasSize(2);
        assertThat(ingested.get(1).state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(ingested.get(1).id()).isEqualTo("lemon:p00-r00-n01:" + T);
        assertThat(ingested.get(1).endMillis()).isEqualTo(T + 5 * D + 1);
    }

    @Test
    void raisesLinkWearAsInfo() {
        links.putAll(LinkWearTest.links());
        // The 48 hours of link history start at T: the check runs when they are complete.
        clock.set(T + 48 * H);
        check(List.of()).check();
        assertThat(ingested).extracting(Anomaly::entity).containsExactlyInAnyOrder("fabric", "creep");
        Anomaly fabric = ingested.stream().filter(a -> a.entity().equals("fabric")).findFirst().orElseThrow();
        assertThat(fabric.type()).isEqualTo(AnomalyType.LINK_WEAR);
        assertThat(fabric.severity()).isEqualTo(Severity.INFO);
        assertThat(fabric.scope()).isEqualTo(Scope.LINK);
        assertThat(fabric.facts().get("baseline_us")).isCloseTo(3.8, within(1e-9));
        assertThat(fabric.facts().get("latency_us")).isCloseTo(6.15, within(1e-9));
        assertThat(fabric.facts().get("slope_us_per_h")).isCloseTo(0.05, within(1e-9));
        assertThat(fabric.facts()).containsEntry("rise_limit_pct", 20.0).containsEntry("history_s", 172_800.0);
    }

    @Test
    void writesTheChipHoursLostInEachQuarterHourOfTheLastTwoHours() {
        // A straggler of j1 (10 chips) at 0.7 of its peers since 50 minutes ago, still open.
        events.add(new AnomalyEvent("straggler:c:1", "straggler", "chip", "p00-r00-n01-c0", "p00-r00-n01",
                "p00-r00-n01-c0", "", "j1", true, 0.7, T - 50 * 60_000L));
        check(List.of()).check();

        assertThat(written.keySet()).as("8 windows of 15 min before now").hasSize(8)
                .first().isEqualTo(T - 2 * H);
        // [-60, -45) min: 5 min × 10 × 0.3 = 0.25 chip-hours; each later window 15 min × 10 × 0.3 = 0.75.
        assertThat(written.get(T - 75 * 60_000L)).isEmpty();
        assertThat(written.get(T - 60 * 60_000L)).singleElement()
                .satisfies(l -> assertThat(l.chipHours()).isCloseTo(0.25, within(1e-9)));
        for (long w : new long[]{T - 45 * 60_000L, T - 30 * 60_000L, T - 15 * 60_000L}) {
            assertThat(written.get(w)).singleElement()
                    .satisfies(l -> assertThat(l.chipHours()).isCloseTo(0.75, within(1e-9)));
        }
    }

    @Test
    void aRowThatALateEventTookAwayIsRewrittenAsZero() {
        // Chip c0 of j1 at 0.7 since 50 minutes ago: it sets the pace.
        events.add(new AnomalyEvent("s:c0", "straggler", "chip", "p00-r00-n01-c0", "p00-r00-n01",
                "p00-r00-n01-c0", "", "j1", true, 0.7, T - 50 * 60_000L));
        InsightCheck check = check(List.of());
        check.check();
        // Its close arrives late: it ended 40 minutes ago, while chip c1, at 0.5, ran slow the whole time.
        events.add(new AnomalyEvent("s:c0", "straggler", "chip", "p00-r00-n01-c0", "p00-r00-n01",
                "p00-r00-n01-c0", "", "j1", false, 0.7, T - 40 * 60_000L));
        events.add(new AnomalyEvent("s:c1", "straggler", "chip", "p00-r00-n01-c1", "p00-r00-n01",
                "p00-r00-n01-c1", "", "j1", true, 0.5, T - 55 * 60_000L));
        written.clear();
        check.check();
        // [-45, -30) min: c0 wrote 0.75 before; now c1 sets the pace: 15 min × 10 × 0.5 = 1.25, c0 rewritten as 0.
        assertThat(written.get(T - 45 * 60_000L)).extracting(StragglerCost.Loss::chip, StragglerCost.Loss::chipHours)
                .containsExactlyInAnyOrder(tuple("p00-r00-n01-c1", 1.25), tuple("p00-r00-n01-c0", 0.0));
    }

    @Test
    void adoptsItsOpenAnomaliesAfterARestartAndClosesThoseThatEnded() {
        List<Anomaly> adopted = InsightCheck.adopt(List.of("lemon:p00-r00-n09:123", "link_wear:a~b:456",
                "overheat:c:1"), 789);
        assertThat(adopted).extracting(Anomaly::type, Anomaly::entity, Anomaly::startMillis).containsExactly(
                tuple(AnomalyType.LEMON, "p00-r00-n09", 123L),
                tuple(AnomalyType.LINK_WEAR, "a~b", 456L));

        check(adopted).check();
        assertThat(ingested).extracting(Anomaly::id, Anomaly::state).containsExactlyInAnyOrder(
                tuple("lemon:p00-r00-n09:123", AnomalyState.CLOSED),
                tuple("link_wear:a~b:456", AnomalyState.CLOSED));
    }
}
