package io.chipwatch.alerting.rules;

import io.chipwatch.alerting.web.Runbooks;
import io.chipwatch.infra.ChipwatchHome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every rule of the built-in rules links a runbook that exists: {@code docs/runbooks/<name>.md} in the repository
 * and, served by the alerting service, in its jar. It checks the rules present, so a rule added later needs its page.
 */
class AlertRulesRunbooksTest {
    private static final Pattern RUNBOOK_REFERENCE = Pattern.compile("\\{\\{runbook_base_url}}/([^\"'\\s]+)");
    private static final String BASE = "http://alerting.test/runbooks";

    private static Path runbooksDir() {
        return ChipwatchHome.root().resolve("docs/runbooks");
    }

    @Test
    void everyConfiguredRuleLinksARunbookThatExistsInTheRepositoryAndIsServed() {
        RuleSet rules = RulesLoader.loadDefaults();
        GlobalSettings served = rules.global().withRunbooksServedAt("http://alerting.test");
        List<String> checked = new ArrayList<>();
        for (AlertRule rule : rules.rules().values()) {
            if (!rule.configured()) {
                continue;
            }
            Template link = rule.annotations().get("runbook_url");
            assertThat(link).as("%s has a runbook_url", rule.alertname()).isNotNull();
            String url = link.render(Map.of("runbook_base_url", served.runbookBaseUrl()));
            assertThat(url).as(rule.alertname()).startsWith(BASE + "/").endsWith(".md");
            String name = url.substring(BASE.length() + 1);
            assertThat(runbooksDir().resolve(name)).as("runbook of %s", rule.alertname()).isRegularFile();
            assertThat(new Runbooks().runbook(name)).as("%s served by the alerting service", name).isPresent();
            checked.add(name);
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(9).contains("overheat.md", "node_down.md", "stuck_sensor.md");
    }

    /** Also a rule that is no anomaly type (Watchdog, telemetry-path alerts): every runbook the file names exists. */
    @Test
    void everyRunbookTheRulesFileNamesExists() throws IOException {
        String yaml;
        try (InputStream in = RulesLoader.class.getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = RUNBOOK_REFERENCE.matcher(yaml);
        int references = 0;
        while (m.find()) {
            assertThat(runbooksDir().resolve(m.group(1))).as("runbook named in alert-rules.yaml").isRegularFile();
            references++;
        }
        assertThat(references).isGreaterThanOrEqualTo(9);
    }

    @Test
    void everyRunbookSaysWhatItMeansHowToConfirmWhatToDoAndWhenToEscalate() throws IOException {
        try (var files = Files.list(runbooksDir())) {
            List<Path> pages = files.filter(p -> !p.getFileName().toString().equals("README.md")).toList();
            assertThat(pages).extracting(p -> p.getFileName().toString())
                    .contains("telemetry_silent.md", "watchdog.md");
            for (Path page : pages) {
                assertThat(Files.readString(page)).as(page.toString()).startsWith("# ")
                        .contains("\n## What it means\n", "\n## Confirm\n", "\n## What to do\n", "\n## Escalate\n");
            }
        }
    }

    @Test
    void byDefaultRunbookLinksPointAtTheAlertingServiceAndAnHttpBaseIsKept() {
        assertThat(RulesLoader.loadDefaults().global().runbookBaseUrl()).isEqualTo(GlobalSettings.SERVED_RUNBOOKS);
        assertThat(RulesLoader.loadDefaults().global().withRunbooksServedAt("https://oncall.example:9095/")
                .runbookBaseUrl()).isEqualTo("https://oncall.example:9095/runbooks");

        RuleSet own = RulesLoader.parse("""
                global:
                  runbook_base_url: https://wiki.example/runbooks/
                rules:
                  - type: overheat
                    alert: ChipOverheating
                    annotations: {summary: hot, runbook_url: "{{runbook_base_url}}/overheat.md"}
                """, "x");
        assertThat(own.global().withRunbooksServedAt("http://alerting.test").runbookBaseUrl())
                .isEqualTo("https://wiki.example/runbooks");

        RuleSet path = RulesLoader.parse("""
                global:
                  runbook_base_url: /docs/runbooks/
                rules:
                  - type: overheat
                    alert: ChipOverheating
                    annotations: {summary: hot}
                """, "x");
        assertThat(path.global().withRunbooksServedAt("http://alerting.test").runbookBaseUrl())
                .isEqualTo("http://alerting.test/docs/runbooks");
        for (String bad : List.of("ftp://wiki.example/runbooks", "/run books", "runbooks")) {
            assertThatThrownBy(() -> RulesLoader.parse("global: {runbook_base_url: \"" + bad + "\"}\n"
                    + "rules: [{type: overheat, alert: ChipOverheating, annotations: {summary: hot}}]", "x"))
                    .as(bad).hasMessageContaining("global.runbook_base_url: \"" + bad + "\"");
        }
    }
}
