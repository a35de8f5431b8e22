package io.chipwatch.alerting;

import io.chipwatch.alerting.notify.webhook.WebhookReceiver;
import io.chipwatch.model.influx.InfluxCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
    void aBadWebhookNeverShowsItsPathOrQuery() {
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--webhook", "ftp://hooks.example/T0/secret-path?token=t0k3n"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("ftp://hooks.example/…").doesNotContain("secret-path").doesNotContain("t0k3n");
    }

    @Test
    void webhooksComeFromAFileOrTheEnvironmentAndAreNeverShownWhole(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("webhooks"), "# on call\npager=https://hooks.example/T0/s3cret\n\n"
                + "https://other.example/x?token=abc\n");
        AlertingConfig fromFile = AlertingMain.parse(Map.of(WebhookSources.ENV, "https://ignored.example/"),
                "--bootstrap", "x:1", "--webhooks-file", file.toString());
        assertThat(fromFile.webhooks()).extracting(w -> w.url().toString())
                .containsExactly("https://hooks.example/T0/s3cret", "https://other.example/x?token=abc");
        AlertingConfig fromEnv = AlertingMain.parse(Map.of(WebhookSources.ENV, "a=https://a.example/1 https://b.example/2"),
                "--bootstrap", "x:1");
        assertThat(fromEnv.webhooks()).extracting(AlertingConfig.Webhook::name).containsExactly("a", "webhook-2");
        assertThat(new WebhookReceiver("pager", URI.create("https://hooks.example/T0/s3cret"), Duration.ofSeconds(1))
                .toString()).contains("https://hooks.example/…").doesNotContain("s3cret");
    }

    @Test
    void bindTokenAndInfluxCredentialsComeFromTheEnvironmentUnlessOptionsSayOtherwise(@TempDir Path dir)
            throws Exception {
        Map<String, String> env = Map.of(AlertingMain.BIND_ENV, "0.0.0.0",
                AlertingMain.TOKEN_ENV, "a-token-of-enough-length",
                InfluxCredentials.ENV_USER, "chipwatch_writer", InfluxCredentials.ENV_PASSWORD, "pw-from-env");
        AlertingConfig c = AlertingMain.parse(env, "--bootstrap", "x:1");
        assertThat(c.bindAddress).isEqualTo("0.0.0.0");
        assertThat(c.token).isEqualTo("a-token-of-enough-length");
        assertThat(c.influxCredentials).contains(new InfluxCredentials("chipwatch_writer", "pw-from-env"));

        Path creds = Files.writeString(dir.resolve("influx"), "other:pw-from-file\n");
        AlertingConfig opts = AlertingMain.parse(env, "--bootstrap", "x:1", "--bind", "127.0.0.1",
                "--token-file", dir.resolve("token").toString(), "--influx-credentials-file", creds.toString());
        assertThat(opts.bindAddress).isEqualTo("127.0.0.1");
        assertThat(opts.token).isNull();
        assertThat(opts.influxCredentials).contains(new InfluxCredentials("other", "pw-from-file"));

        AlertingConfig bare = AlertingMain.parse(Map.of(), "--bootstrap", "x:1");
        assertThat(bare.bindAddress).isEqualTo("127.0.0.1");
        assertThat(bare.influxCredentials).isEmpty();
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--influx-credentials-file", dir.resolve("none").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("credentials file");
    }

    @Test
    void webhooksAreNamedInOrderOrByTheirPrefix() {
        AlertingConfig c = AlertingConfig.create("x:1").webhook("http://a/x?b=c").webhook("pager=https://p/q");
        assertThat(c.webhooks()).extracting(AlertingConfig.Webhook::name).containsExactly("webhook-1", "pager");
        assertThat(c.webhooks().get(0).url().toString()).isEqualTo("http://a/x?b=c");
    }

    @Test
    void theInfluxWriteLimitIsAPositiveDurationAndABadOneFailsTheStartNamingIt() {
        assertThat(AlertingMain.parse(Map.of(), "--bootstrap", "x:1").pathWatch.influxWriteFailAfter())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(AlertingMain.parse(Map.of(), "--bootstrap", "x:1", "--influx-write-fail-after", "2m")
                .pathWatch.influxWriteFailAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--influx-write-fail-after", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--influx-write-fail-after: \"soon\" is not a duration");
        assertThat(AlertingMain.run("--bootstrap", "x:1", "--influx-write-fail-after", "0s")).isEqualTo(2);
        assertThat(err.toString()).contains("--influx-write-fail-after: \"0s\" must be a positive duration");
    }
}
