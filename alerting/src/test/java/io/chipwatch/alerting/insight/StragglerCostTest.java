package io.chipwatch.alerting.insight;

import io.chipwatch.alerting.insight.StragglerCost.Loss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Ten hours of seeded straggler and throttling history; every expected figure is {@code hours × job chips ×
 * slowdown}, worked out by hand in the comments.
 */
class StragglerCostTest {
    static final long T = 1_767_225_600_000L;
    static final long H = 3_600_000L;

    private static AnomalyEvent event(String type, String chip, String job, boolean open, double value, long t) {
        String node = chip.substring(0, chip.lastIndexOf('-'));
        return new AnomalyEvent(type + ":" + chip + ":" + job, type, "chip", chip, node, chip, "", job, open, value,
                t);
    }

    private static List<AnomalyEvent> history() {
        List<AnomalyEvent> e = new ArrayList<>();
        // j1 (16 chips): chip a at 0.75 of its peers from 1 h to 3 h, chip b at 0.6 from 2 h to 4 h.
        e.add(event("straggler", "n-a-c0", "j1", true, 0.75, T + H));
        e.add(event("straggler", "n-a-c0", "j1", false, 0.75, T + 3 * H));
        e.add(event("straggler", "n-b-c1", "j1", true, 0.6, T + 2 * H));
        e.add(event("straggler", "n-b-c1", "j1", false, 0.6, T + 4 * H));
        // j2 (8 chips): chip c throttled from 5 h, still open at the end of the range (10 h).
        e.add(event("power_throttle", "n-c-c2", "j2", true, 420, T + 5 * H));
        // j3 (4 chips): a straggler at 0.8 opened before the range, closed at 0.5 h.
        e.add(event("straggler", "n-d-c3", "j3", false, 0.8, T + H / 2));
        // j4 (no job points): chip e at 0.5 from 6 h to 7 h.
        e.add(event("straggler", "n-e-c4", "j4", true, 0.5, T + 6 * H));
        e.add(event("straggler", "n-e-c4", "j4", false, 0.5, T + 7 * H));
        // An idle chip (no job) and another type cost nothing.
        e.add(event("straggler", "n-f-c5", "", true, 0.5, T + 6 * H));
        e.add(event("overheat", "n-g-c6", "j1", true, 97, T + 6 * H));
        return e;
    }

    private static final Map<String, Integer> CHIPS = Map.of("j1", 16, "j2", 8, "j3", 4);

    @Test
    void chargesEachMomentOfAJobOnceAtItsSlowestChip() {
        List<Loss> losses = StragglerCost.losses(history(), CHIPS, T, T + 10 * H, 0.4);

        // j2: 5 h × 8 × 0.4 = 16; j1: b sets the pace from 2 h to 4 h (0.4 > 0.25): 2 × 16 × 0.4 = 12.8, a alone
        // from 1 h to 2 h: 1 × 16 × 0.25 = 4; j4: 1 × 1 × 0.5 = 0.5; j3: 0.5 × 4 × 0.2 = 0.4.
        assertThat(losses).extracting(Loss::chip).containsExactly("n-c-c2", "n-b-c1", "n-a-c0", "n-e-c4", "n-d-c3");
        double[] expected = {16, 12.8, 4, 0.5, 0.4};
        double[] hours = {5, 2, 1, 1, 0.5};
        int[] chips = {8, 16, 16, 1, 4};
        for (int i = 0; i < expected.length; i++) {
            assertThat(losses.get(i).chipHours()).as(losses.get(i).chip()).isCloseTo(expected[i], within(1e-9));
            assertThat(losses.get(i).hours()).as(losses.get(i).chip()).isCloseTo(hours[i], within(1e-9));
            assertThat(losses.get(i).jobChips()).as(losses.get(i).chip()).isEqualTo(chips[i]);
        }
        assertThat(losses.get(0).cause()).isEqualTo("power_throttle");
        assertThat(losses.get(1).cause()).isEqualTo("straggler");
        assertThat(losses.get(1).node()).isEqualTo("n-b");

        Map<String, Double> byJob = StragglerCost.total(losses, false);
        assertThat(byJob.keySet()).containsExactly("j1", "j2", "j4", "j3");
        assertThat(byJob.get("j1")).isCloseTo(16.8, within(1e-9));
        Map<String, Double> byNode = StragglerCost.total(losses, true);
        assertThat(byNode.keySet()).containsExactly("n-c", "n-b", "n-a", "n-e", "n-d");
    }

    @Test
    void clipsIntervalsToTheRangeAndTakesTheThrottlingSlowdownGiven() {
        // 3 h to 6 h: a has no share (b is slower until 4 h), b 1 h × 16 × 0.4 = 6.4; c 1 h × 8 × 0.25 = 2.
        List<Loss> losses = StragglerCost.losses(history(), CHIPS, T + 3 * H, T + 6 * H, 0.25);
        assertThat(losses).extracting(Loss::chip).containsExactly("n-b-c1", "n-c-c2");
        assertThat(losses.get(0).chipHours()).isCloseTo(6.4, within(1e-9));
        assertThat(losses.get(1).chipHours()).isCloseTo(2.0, within(1e-9));
        assertThatThrownBy(() -> StragglerCost.losses(history(), CHIPS, T, T + H, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
