package io.chipwatch.alerting;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: rule checks and bad options fail fast with a reason, before any connection. */
class AlertingMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void checkRulesAcceptsTheDefaultsAndNamesTheBadField(@TempDir Path dir) throws Exception {
        assertThat(AlertingMain.run("--check-rules")).isZero();
        assertThat(out.toString()).contains("valid, 13 alert rule(s), 7 inhibition rule(s)");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "rules:\n  - type: overheat\n    alert: Hot\n    for: abc\n    annotations: {summary: x}\n");
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--rules", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("rules[0].for: \"abc\" is not a duration (e.g. 30s, 2m)");
    }

    @Test
    void printsTheDefaultRules() {
        assertThat(AlertingMain.run("--print-default-rules")).isZero();
        assertThat(out.toString()).contains("inhibit_rules:", "type: node_down");
    }

    @Test
    void runningNeedsABootstrap() {
        assertThat(AlertingMain.run("--port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--bootstrap");
    }

    @Test
    void badHistoryCheckOptionsAreRefusedNamingTheOption() {
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--lemon-min", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("at least 1, not 0");
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--wear-history", "two days")).isEqualTo(2);
        assertThat(err.toString()).contains("--wear-history: \"two days\" is not a duration");
    }

    @Test
    void aBadWebhookIsRefused() {
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--webhook", "ftp://nope")).isEqualTo(2);
        assertThat(err.toString()).contains("not an http(s) URL");
    }

    @Test
    void webhooksAreNamedInOrderOrByTheirPrefix() {
        AlertingConfig c = AlertingConfig.create("x:1").webhook("http://a/x?b=c").webhook("pager=https://p/q");
        assertThat(c.webhooks()).extracting(AlertingConfig.Webhook::name).containsExactly("webhook-1", "pager");
        assertThat(c.webhooks().get(0).url().toString()).isEqualTo("http://a/x?b=c");
    }
}
