package io.chipwatch.alerting.rules;

import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesLoaderTest {

    private static final String RULE = """
              - type: overheat
                alert: ChipOverheating
                severity: critical
                for: 10s
                annotations:
                  summary: "hot {{chip}}"
            """;

    private static String rules(String body) {
        return "rules:\n" + body;
    }

    @Test
    void theDocumentedDefaultsCoverEveryTypeAndLoad() {
        RuleSet rules = RulesLoader.loadDefaults();
        assertThat(rules.unconfiguredTypes()).isEmpty();
        assertThat(rules.rule(AnomalyType.CHIP_DOWN).alertname()).isEqualTo("ChipDown");
        assertThat(rules.rule(AnomalyType.NODE_DOWN).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(rules.rule(AnomalyType.STUCK_SENSOR).severity()).isEqualTo(Severity.WARNING);
        assertThat(rules.route().groupBy()).containsExactly("alertname", "entity");
        assertThat(rules.route().groupWait()).isEqualTo(Duration.ofMillis(500));
        // Root-caused by their detectors: they page without waiting; the others wait the route's.
        assertThat(rules.route().groupWait("ChipDown")).isEqualTo(Duration.ZERO);
        assertThat(rules.route().groupWait("NodeDown")).isEqualTo(Duration.ZERO);
        assertThat(rules.route().groupWait("ChipOverheating")).isEqualTo(Duration.ZERO);
        assertThat(rules.route().groupWait("LinkDegraded")).isEqualTo(Duration.ofMillis(500));
        assertThat(rules.inhibitRules()).hasSize(7);
        // A component the supervisor reports dead explains its own path alert (lag, refused deliveries).
        assertThat(rules.inhibitRules().get(6).equal()).containsExactly("entity");
        for (AlertRule r : rules.rules().values()) {
            assertThat(r.annotations()).containsKeys("summary", "description", "runbook_url", "dashboard");
        }
    }

    @Test
    void annotationsCarryEvidenceRunbookAndADrillDownLinkForTheRightTimeRange() {
        AlertFactory factory = new AlertFactory(RulesLoader.loadDefaults());
        Anomaly a = Anomaly.builder().tags(Anomalies.chip(AnomalyType.OVERHEAT, "p00-r01-n02-c03",
                        1_764_000_000_000L).tags())
                .type(AnomalyType.OVERHEAT).entity("p00-r01-n02-c03").startMillis(1_764_000_000_000L)
                .value(0.5).threshold(0.4).fact(Fact.TEMP_C, 97.5).fact(Fact.LIMIT_C, 95)
                .detail("test evidence").build();
        var open = factory.annotations(a, null);
        assertThat(open.get("summary")).isEqualTo("Chip p00-r01-n02-c03 overheating: 97.5 °C (limit 95 °C)");
        assertThat(open.get("description")).contains("97.5 °C", "95 °C", "test evidence", "node p00-r01-n02");
        assertThat(open.get("runbook_url")).endsWith("/overheat.md");
        assertThat(open.get("dashboard")).isEqualTo("http://localhost:3000/d/chipwatch-drilldown?var-pod=p00"
                + "&var-rack=p00-r01&var-node=p00-r01-n02&var-chip=p00-r01-n02-c03&var-job=job-1"
                + "&from=" + (1_764_000_000_000L - 900_000) + "&to=now");
        assertThat(open.get("anomaly_id")).isEqualTo(a.id());
        var closed = factory.annotations(a.close(1_764_000_100_000L), 1_764_000_100_000L);
        assertThat(closed.get("dashboard")).endsWith("&to=" + (1_764_000_100_000L + 900_000));
        var labels = factory.labels(a);
        assertThat(labels).containsEntry("alertname", "ChipOverheating").containsEntry("severity", "critical")
                .containsEntry("chip", "p00-r01-n02-c03").containsEntry("category", "thermal")
                .containsEntry("entity", "p00-r01-n02-c03").doesNotContainKey("anomaly_id");
    }

    @Test
    void aMissingHierarchyTagIsLeftOutNotPrintedAsADash() {
        AlertFactory factory = new AlertFactory(RulesLoader.loadDefaults());
        Anomaly idle = Anomaly.builder().type(AnomalyType.OVERHEAT).entity("p00-r01-n02-c03")
                .tag("chip", "p00-r01-n02-c03").tag("node", "p00-r01-n02").tag("rack", "p00-r01").tag("pod", "p00")
                .startMillis(1_000).value(96).threshold(95).build();
        assertThat(factory.annotations(idle, null).get("description"))
                .startsWith("Chip p00-r01-n02-c03 (node p00-r01-n02, rack p00-r01).").doesNotContain("job", " -");
        assertThat(factory.annotations(idle, null).get("dashboard")).doesNotContain("var-job");
    }

    @Test
    void aBadDurationNamesTheField() {
        String yaml = rules(RULE + """
              - type: chip_down
                alert: ChipDown
                for: abc
                annotations: {summary: "down"}
            """);
        assertThatThrownBy(() -> RulesLoader.parse(yaml, "test.yaml"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("rules[1].for: \"abc\" is not a duration (e.g. 30s, 2m)");
        String wait = rules(RULE + """
              - type: chip_down
                alert: ChipDown
                group_wait: soon
                annotations: {summary: "down"}
            """);
        assertThatThrownBy(() -> RulesLoader.parse(wait, "test.yaml"))
                .hasMessageContaining("rules[1].group_wait: \"soon\" is not a duration");
    }

    @Test
    void anUnknownKeyNamesTheFieldAndTheKnownOnes() {
        String yaml = rules(RULE.replace("for: 10s", "fro: 10s"));
        assertThatThrownBy(() -> RulesLoader.parse(yaml, "x"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining("rules[0].fro: unknown key")
                .hasMessageContaining("known keys: alert, annotations, for, group_wait, labels, severity, type");
        assertThatThrownBy(() -> RulesLoader.parse("route:\n  group_wiat: 1s\n" + rules(RULE), "x"))
                .hasMessageContaining("route.group_wiat: unknown key");
        assertThatThrownBy(() -> RulesLoader.parse("routes: {}\n" + rules(RULE), "x"))
                .hasMessageContaining("routes: unknown key");
    }

    @Test
    void badValuesAreAllReportedWithTheirPaths() {
        String yaml = """
            route:
              group_by: [alertname, "bad name"]
              group_interval: 0s
              repeat_interval: soon
            rules:
              - type: sensor_glitch
                alert: Glitch
                annotations: {summary: x}
              - type: overheat
                alert: "Chip Overheating"
                severity: urgent
                labels: {chip: x, team: "{{chip}}"}
                annotations: {summary: "{{chipp}}"}
              - type: chip_down
                annotations: {summary: x}
              - type: node_down
                alert: NodeDown
              - type: node_down
                alert: NodeDown2
                annotations: {summary: x}
            inhibit_rules:
              - source_matchers: ['type="node_down"']
                target_matchers: ['scope=~"chip|(link"']
                equal: [node]
              - target_matchers: ['scope="chip"']
            """;
        assertThatThrownBy(() -> RulesLoader.parse(yaml, "x"))
                .isInstanceOf(RulesException.class)
                .satisfies(e -> assertThat(((RulesException) e).errors()).anySatisfy(s ->
                        assertThat(s).startsWith("route.group_by[1]: \"bad name\" is not a label name")))
                .hasMessageContaining("route.group_interval: must be more than 0")
                .hasMessageContaining("route.repeat_interval: \"soon\" is not a duration")
                .hasMessageContaining("rules[0].type: \"sensor_glitch\" is not an anomaly type; one of overheat,")
                .hasMessageContaining("rules[1].alert: \"Chip Overheating\" is not a valid alert name")
                .hasMessageContaining("rules[1].severity: \"urgent\" is not one of critical, warning, info")
                .hasMessageContaining("rules[1].labels.chip: set from the anomaly")
                .hasMessageContaining("rules[1].labels.team: labels are fixed text")
                .hasMessageContaining("rules[1].annotations.summary: unknown placeholder {{chipp}}")
                .hasMessageContaining("rules[2].alert: missing")
                .hasMessageContaining("rules[3].annotations.summary: missing")
                .hasMessageContaining("rules[4].type: a second rule for node_down (the first is rules[3])")
                .hasMessageContaining("inhibit_rules[0].target_matchers[0]: matcher scope: \"chip|(link\" is not "
                        + "a valid regular expression")
                .hasMessageContaining("inhibit_rules[1].source_matchers: missing");
    }

    @Test
    void wrongShapesAndBrokenYamlAreReported() {
        assertThatThrownBy(() -> RulesLoader.parse(rules(RULE.replace("for: 10s", "for: [1, 2]")), "x"))
                .hasMessageContaining("rules[0].for: expected a single value");
        assertThatThrownBy(() -> RulesLoader.parse("rules: {a: 1}", "x"))
                .hasMessageContaining("rules: expected a list");
        assertThatThrownBy(() -> RulesLoader.parse("rules:\n  - type: \"open\n  alert: x\n\tbad", "x"))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> RulesLoader.parse("", "x")).hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> RulesLoader.parse("route: {}\n", "x")).hasMessageContaining("rules: missing");
        assertThatThrownBy(() -> RulesLoader.parse(rules(RULE + RULE.replace("overheat", "chip_down")
                .replace("for: 10s", "for: 1s\n    for: 2s")), "x"))
                .hasMessageContaining("Duplicate field 'for'");
    }

    @Test
    void typesWithoutARuleGetADefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules(RULE));
        RuleSet rules = RulesLoader.load(file);
        assertThat(rules.rule(AnomalyType.OVERHEAT).forDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(rules.unconfiguredTypes()).contains(AnomalyType.LINK_FLAP);
        assertThat(rules.rule(AnomalyType.LINK_FLAP).alertname()).isEqualTo("LinkFlap");
        assertThat(rules.rule(AnomalyType.LINK_FLAP).severity()).isNull();
        assertThatThrownBy(() -> RulesLoader.load(dir.resolve("missing.yaml"))).hasMessageContaining("file not found");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("0")).contains(Duration.ZERO);
        assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
        assertThat(Durations.parse("1.5s")).isEmpty();
        assertThat(Durations.parse("-1s")).isEmpty();
        assertThat(Durations.parse("10")).isEmpty();
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    }

    @Test
    void numbersForPeople() {
        assertThat(AlertFactory.number(95)).isEqualTo("95");
        assertThat(AlertFactory.number(4.0625)).isEqualTo("4.06");
        assertThat(AlertFactory.number(Double.NaN)).as("no value: left out").isNull();
    }
}
