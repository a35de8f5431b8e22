package io.chipwatch.alerting.insight;

import io.chipwatch.alerting.insight.LinkWear.Wearing;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** 48 simulated hourly medians per link; the trends' expected levels are worked out by hand. */
class LinkWearTest {
    static final long T = 1_767_225_600_000L;
    static final long H = 3_600_000L;

    private static List<LinkHour> hours(String link, int n, IntToDoubleFunction latency) {
        List<LinkHour> out = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            out.add(new LinkHour(link, T + h * H, latency.applyAsDouble(h)));
        }
        return out;
    }

    static Map<String, List<LinkHour>> links() {
        Map<String, List<LinkHour>> m = new LinkedHashMap<>();
        // Creeps 0.01 µs/h from 2.0 µs, with two wild hours (a burst, a gap): 2.0 → 2.47 µs, +23.5 %.
        m.put("creep", hours("creep", 48, h -> h == 10 ? 20 : h == 30 ? 0.5 : 2.0 + 0.01 * h));
        // Steady with noise: 1.85 / 1.95 alternating.
        m.put("steady", hours("steady", 48, h -> h % 2 == 0 ? 1.85 : 1.95));
        // Creeps too slowly: 2.0 → 2.235 µs, +11.75 %.
        m.put("slow", hours("slow", 48, h -> 2.0 + 0.005 * h));
        // Degraded, not wearing: 2.0 → 11.4 µs, 5.7× (at or above 4× the detection job reports it).
        m.put("degraded", hours("degraded", 48, h -> 2.0 + 0.2 * h));
        // Too few hours to judge.
        m.put("new", hours("new", 10, h -> 2.0 + 0.1 * h));
        // A fabric link: 3.8 → 3.8 + 47 × 0.05 = 6.15 µs, +61.84 %.
        m.put("fabric", hours("fabric", 48, h -> 3.8 + 0.05 * h));
        return m;
    }

    @Test
    void reportsTheLinksWhoseTrendRoseAtLeastTwentyPercentUnderTheDegradedRatio() {
        List<Wearing> wearing = LinkWear.find(links(), LinkWear.Policy.DEFAULT);

        assertThat(wearing).extracting(Wearing::link).containsExactly("fabric", "creep");
        Wearing fabric = wearing.get(0);
        assertThat(fabric.slopeUsPerH()).isCloseTo(0.05, within(1e-9));
        assertThat(fabric.startUs()).isCloseTo(3.8, within(1e-9));
        assertThat(fabric.nowUs()).isCloseTo(6.15, within(1e-9));
        assertThat(fabric.risePct()).isCloseTo(100 * 2.35 / 3.8, within(1e-9));
        assertThat(fabric.hours()).isEqualTo(48);
        assertThat(fabric.lastMillis()).isEqualTo(T + 47 * H);
        Wearing creep = wearing.get(1);
        assertThat(creep.slopeUsPerH()).as("the two wild hours do not move a robust slope").isCloseTo(0.01,
                within(1e-9));
        assertThat(creep.startUs()).isCloseTo(2.0, within(1e-9));
        assertThat(creep.nowUs()).isCloseTo(2.47, within(1e-9));
        assertThat(creep.risePct()).isCloseTo(23.5, within(1e-6));
    }

    @Test
    void aLowerRiseLimitAddsTheSlowCreepAndFewerHoursTheNewLink() {
        List<Wearing> wearing = LinkWear.find(links(), new LinkWear.Policy(Duration.ofHours(48), 10, 10, 4));
        assertThat(wearing).extracting(Wearing::link).containsExactly("fabric", "new", "creep", "slow");
        // new: 2.0 → 2.9 µs over 9 h: +45 %; slow: +11.75 %.
        assertThat(wearing.get(1).risePct()).isCloseTo(45, within(1e-6));
        assertThat(wearing.get(3).risePct()).isCloseTo(11.75, within(1e-6));
    }

    @Test
    void theilSenIsTheMedianOfThePairwiseSlopes() {
        // Pairs: 1, 1, 3, 1, 4, 7 → sorted 1 1 1 3 4 7 → median (1 + 3) / 2 = 2 (least squares: 2.8).
        assertThat(LinkWear.theilSen(new double[]{0, 1, 2, 3}, new double[]{1, 2, 3, 10})).isEqualTo(2.0);
        assertThat(LinkWear.median(new double[]{5, 1, 3})).isEqualTo(3.0);
    }
}
