package io.chipwatch.alerting.rules;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyFacts;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The built-in rules' summary and description of every anomaly type, rendered from anomalies as the detectors
 * build them (facts per {@link AnomalyFacts}): the quantity on-call acts on first, in its unit, against its limit in
 * the same unit; and from anomalies without facts (written before they existed), which still read as sentences.
 */
class AlertTemplatesTest {
    private static final String CHIP = "p01-r02-n03-c04";
    private static final String NODE = "p01-r02-n03";
    private static final String RACK = "p01-r02";
    private static final String LINK = "p01-r02-n03-c04~p01-r02-n03-c05";
    private static final AlertFactory FACTORY = new AlertFactory(RulesLoader.loadDefaults());

    private static Anomaly.Builder chip(AnomalyType type, String job) {
        return Anomaly.builder().type(type).entity(CHIP).tag("chip", CHIP).tag("node", NODE).tag("rack", RACK)
                .tag("pod", "p01").tag("job", job).startMillis(1_764_000_000_000L).detail("evidence");
    }

    private static Map<String, String> render(Anomaly a) {
        return FACTORY.annotations(a, null);
    }

    @Test
    void overheatLeadsWithTheTemperatureAgainstTheLimitNotTheSlope() {
        Anomaly a = chip(AnomalyType.OVERHEAT, null).value(0.5).threshold(0.4)
                .fact(Fact.TEMP_C, 39.84).fact(Fact.LIMIT_C, 90).fact(Fact.RISE_C_PER_S, 1.754)
                .fact(Fact.EXCESS_C, 1.8).fact(Fact.EXCESS_LIMIT_C, 1.5).build();
        Map<String, String> text = render(a);
        assertThat(text.get("summary"))
                .isEqualTo("Chip " + CHIP + " overheating: 39.8 °C (limit 90 °C), rising 1.75 °C/s");
        assertThat(text.get("description")).isEqualTo("Chip " + CHIP + " (node " + NODE + ", rack " + RACK
                + ") is at 39.8 °C against a critical limit of 90 °C, rising 1.75 °C/s, 1.8 °C above what its power"
                + " and rack explain (alerts at 1.5 °C). evidence");
    }

    @Test
    void overheatCalledOnItsLevelHasNoRiseRateAndSaysNothingAboutOne() {
        Anomaly a = chip(AnomalyType.OVERHEAT, "train-00124").fact(Fact.TEMP_C, 91).fact(Fact.LIMIT_C, 90)
                .fact(Fact.EXCESS_C, 3).fact(Fact.EXCESS_LIMIT_C, 1.5).build();
        assertThat(render(a).get("summary")).isEqualTo("Chip " + CHIP + " overheating: 91 °C (limit 90 °C)");
        assertThat(render(a).get("description")).contains("job train-00124)").doesNotContain("rising");
    }

    @Test
    void stragglerShowsPercentagesNotRatios() {
        Anomaly a = chip(AnomalyType.STRAGGLER, "train-00124").value(0.73).threshold(0.85)
                .fact(Fact.UTIL_PCT, 68.34).fact(Fact.PEER_UTIL_PCT, 93.6).fact(Fact.DEFICIT_PCT, 26.99)
                .fact(Fact.DEFICIT_LIMIT_PCT, 15).fact(Fact.PEERS, 7).fact(Fact.SAMPLES, 6).build();
        assertThat(render(a).get("summary")).isEqualTo("Chip " + CHIP + " straggling in job train-00124: 68.3 %"
                + " utilisation against 93.6 % for its peers (27 % below, alerts at 15 %)");
        assertThat(render(a).get("description")).isEqualTo("Chip " + CHIP + " (node " + NODE + ", job train-00124)"
                + " runs at 68.3 % utilisation while its 7 peers reach 93.6 %: 27 % below them (alerts at 15 %),"
                + " over 6 compute samples. evidence");
    }

    @Test
    void powerThrottleShowsWattsCapAndShareOfTdp() {
        Anomaly a = chip(AnomalyType.POWER_THROTTLE, "train-1").fact(Fact.POWER_W, 238.44).fact(Fact.CAP_W, 240)
                .fact(Fact.TDP_W, 400).fact(Fact.TDP_PCT, 59.61).fact(Fact.UTIL_PCT, 51).fact(Fact.PEER_UTIL_PCT, 92)
                .fact(Fact.PEERS, 7).fact(Fact.SAMPLES, 4).build();
        assertThat(render(a).get("summary"))
                .isEqualTo("Chip " + CHIP + " power-throttled: 238.4 W, 59.6 % of its 400 W TDP"
                        + " (throttling limit 240 W)");
        assertThat(render(a).get("description")).contains("draws at most 238.4 W", "at 51 % utilisation while its 7"
                + " peers run 92 %");
    }

    @Test
    void aDegradedLinkShowsLatencyBaselineAndRatio() {
        Anomaly a = Anomaly.builder().type(AnomalyType.LINK_DEGRADED).scope(Scope.LINK).entity(LINK)
                .tag("link", LINK).tag("chip", CHIP).tag("peer", "p01-r02-n03-c05").tag("node", NODE)
                .startMillis(1).value(9.07).fact(Fact.LATENCY_US, 19.14).fact(Fact.BASELINE_US, 2.11)
                .fact(Fact.RATIO, 9.07).fact(Fact.RATIO_LIMIT, 3).fact(Fact.SAMPLES, 3).build();
        assertThat(render(a).get("summary")).isEqualTo("Link " + LINK
                + " degraded: 19.14 µs latency, 9.1× its 2.11 µs baseline (alerts at 3×)");
        assertThat(render(a).get("description")).startsWith("Link " + LINK + " between " + CHIP
                + " and p01-r02-n03-c05 has 19.14 µs latency, 9.1× its baseline of 2.11 µs, for 3 readings");
    }

    @Test
    void aFlappingLinkCountsItsBurstsAndSaysNothingOfWhatItDoesNotKnow() {
        Anomaly missing = Anomaly.builder().type(AnomalyType.LINK_FLAP).scope(Scope.LINK).entity(LINK)
                .tag("link", LINK).tag("chip", CHIP).tag("peer", "p01-r02-n03-c05").startMillis(1).value(0)
                .fact(Fact.BURSTS, 1).fact(Fact.WINDOW_S, 30).fact(Fact.BASELINE_US, 2.1)
                .fact(Fact.MISSING_SAMPLES, 2).build();
        assertThat(render(missing).get("summary"))
                .isEqualTo("Link " + LINK + " flapping: 1 bad burst(s) within 30 s, 2 readings missing");
        assertThat(render(missing).get("description")).doesNotContain("against", "n/a", "latency up to");
        Anomaly bursts = Anomaly.builder().type(AnomalyType.LINK_FLAP).scope(Scope.LINK).entity(LINK)
                .tag("link", LINK).startMillis(1).fact(Fact.BURSTS, 2).fact(Fact.WINDOW_S, 30)
                .fact(Fact.BASELINE_US, 2).fact(Fact.RATIO, 120).fact(Fact.LATENCY_US, 240).build();
        assertThat(render(bursts).get("summary"))
                .isEqualTo("Link " + LINK + " flapping: 2 bad burst(s) within 30 s, up to 120× its 2 µs baseline");
    }

    @Test
    void silenceShowsSecondsAgainstTheLimit() {
        Anomaly down = chip(AnomalyType.CHIP_DOWN, null).fact(Fact.SILENT_S, 2.5).fact(Fact.SILENCE_LIMIT_S, 2)
                .build();
        assertThat(render(down).get("summary"))
                .isEqualTo("Chip " + CHIP + " stopped reporting: silent 2.5 s (limit 2 s)");
        Anomaly node = Anomaly.builder().type(AnomalyType.NODE_DOWN).entity(NODE).tag("node", NODE)
                .tag("rack", RACK).startMillis(1).affected(List.of(NODE + "-c00", NODE + "-c01"))
                .fact(Fact.SILENT_S, 2.1).fact(Fact.SILENCE_LIMIT_S, 2).fact(Fact.CHIPS, 2).build();
        assertThat(render(node).get("summary"))
                .isEqualTo("Node " + NODE + " down: 2 chips silent for 2.1 s (limit 2 s)");
        assertThat(render(node).get("description")).isEqualTo("All 2 chips of node " + NODE + " (rack " + RACK
                + ") stopped reporting 2.1 s ago (alerts after 2 s). Chips: " + NODE + "-c00, " + NODE + "-c01.");
    }

    @Test
    void rackCoolingAndStuckSensor() {
        Anomaly rack = Anomaly.builder().type(AnomalyType.RACK_COOLING).entity(RACK).tag("rack", RACK)
                .tag("pod", "p01").startMillis(1).fact(Fact.EXCESS_C, 14.26).fact(Fact.EXCESS_LIMIT_C, 6)
                .fact(Fact.CHIPS, 78).fact(Fact.CHIPS_JUDGED, 80).fact(Fact.MAX_TEMP_C, 88.4).build();
        assertThat(render(rack).get("summary")).isEqualTo("Rack " + RACK + " cooling failure: chips 14.3 °C hotter"
                + " than their power explains (limit 6 °C), 78 of 80 chips hot");
        Anomaly stuck = chip(AnomalyType.STUCK_SENSOR, "train-1").fact(Fact.TEMP_C, 61.234).fact(Fact.REPEATS, 20)
                .fact(Fact.REPEATS_LIMIT, 20).fact(Fact.POWER_RANGE_W, 85).build();
        assertThat(render(stuck).get("summary"))
                .isEqualTo("Chip " + CHIP + " temperature sensor stuck at 61.2 °C for 20 readings");
    }

    @Test
    void aRepeatOffenderCountsItsAnomaliesAndAWearingLinkShowsItsTrend() {
        Anomaly lemon = Anomaly.builder().type(AnomalyType.LEMON).entity(NODE).tag("node", NODE).startMillis(1)
                .fact(Fact.ANOMALIES, 4).fact(Fact.ANOMALIES_LIMIT, 3).fact(Fact.HISTORY_S, 604_800)
                .detail("4 anomalies in the last 7 d (a repeat offender from 3): 1 overheat, 3 straggler").build();
        assertThat(render(lemon).get("summary")).isEqualTo("Node " + NODE + " is a repeat offender: 4 anomalies "
                + "(limit 3)");
        assertThat(render(lemon).get("description")).startsWith("Node " + NODE + " keeps failing: 4 anomalies in "
                + "the last 7 d (a repeat offender from 3): 1 overheat, 3 straggler.");
        Anomaly wear = Anomaly.builder().type(AnomalyType.LINK_WEAR).entity(LINK).tag("link", LINK).startMillis(1)
                .fact(Fact.LATENCY_US, 2.4712).fact(Fact.BASELINE_US, 2.0).fact(Fact.SLOPE_US_PER_H, 0.0098)
                .fact(Fact.RISE_PCT, 23.56).fact(Fact.RISE_LIMIT_PCT, 20).fact(Fact.HISTORY_S, 172_800)
                .detail("trend").build();
        assertThat(render(wear).get("summary")).isEqualTo("Link " + LINK + " wearing: latency 2 µs → 2.47 µs "
                + "(+23.6 %, alerts at 20 %)");
        assertThat(render(wear).get("description")).startsWith("The latency of link " + LINK + " creeps up by "
                + "0.01 µs an hour without");
    }

    /** Every type, with all its facts or with none (written before facts existed): clean sentences either way. */
    @ParameterizedTest
    @EnumSource(AnomalyType.class)
    void everyTemplateRendersCleanlyWithAndWithoutFacts(AnomalyType type) {
        Anomaly.Builder full = chip(type, null).scope(type.defaultScope()).tag("link", LINK)
                .tag("peer", "p01-r02-n03-c05").affected(List.of(CHIP)).value(Double.NaN).detail("");
        for (Fact f : AnomalyFacts.required(type)) {
            full.fact(f, 12.5);
        }
        for (Fact f : AnomalyFacts.optional(type)) {
            full.fact(f, 3);
        }
        Anomaly withFacts = full.build();
        Anomaly without = chip(type, null).scope(type.defaultScope()).tag("link", LINK).value(Double.NaN).build();
        for (Anomaly a : List.of(withFacts, without)) {
            for (String name : List.of("summary", "description")) {
                String text = render(a).get(name);
                assertThat(text).as("%s of %s", name, type).isNotBlank()
                        .doesNotContain("{{", "}}", "[[", "]]", "n/a", "NaN", " -", "()", "  ", " .", " ,")
                        .doesNotEndWith(" ");
            }
        }
        // The summary leads with the type's first fact: the quantity on-call acts on.
        // (pipeline_degraded has only optional facts, one pair per kind of problem: it leads with the first.)
        boolean required = !AnomalyFacts.required(type).isEmpty();
        Fact lead = required ? AnomalyFacts.required(type).get(0) : AnomalyFacts.optional(type).get(0);
        assertThat(FACTORY.rule(withFacts).annotations().get("summary").source()).contains("{{" + lead.key() + "}}");
        String shown = FactFormat.format(lead, required ? 12.5 : 3);
        boolean physical = Set.of("°C", "W", "µs", "s", "%", "°C/s").contains(lead.unit());
        assertThat(render(withFacts).get("summary")).contains(physical ? shown + " " + lead.unit() : shown);
    }

    @Test
    void optionalSectionsNeedEveryValueAndMustBeWellFormed() {
        Set<String> known = Set.of("a", "b");
        Template t = Template.parse("x[[ a={{a}}]][[ b={{b}} and {{a}}]] {{b}} end", known);
        assertThat(t.render(Map.of("a", "1"))).isEqualTo("x a=1 end");
        assertThat(t.render(Map.of("a", "1", "b", "2"))).isEqualTo("x a=1 b=2 and 1 2 end");
        assertThat(t.render(Map.of("a", "", "b", "2"))).isEqualTo("x 2 end");
        assertThatThrownBy(() -> Template.parse("x[[ {{a}}", known)).hasMessageContaining("never closed");
        assertThatThrownBy(() -> Template.parse("x {{a}}]]", known)).hasMessageContaining("without its");
        assertThatThrownBy(() -> Template.parse("[[ [[{{a}}]] ]]", known)).hasMessageContaining("do not nest");
        assertThatThrownBy(() -> Template.parse("[[{{c}}]]", known)).hasMessageContaining("unknown placeholder {{c}}");
        assertThat(AlertFactory.VARIABLES).contains("temp_c", "util_pct", "latency_us", "bursts", "silent_s");
    }
}
