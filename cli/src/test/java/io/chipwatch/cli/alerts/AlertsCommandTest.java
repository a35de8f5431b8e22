package io.chipwatch.cli.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.alerting.api.ApiServer;
import io.chipwatch.alerting.engine.AlertEngine;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Backoff;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.state.InMemoryStateStore;
import io.chipwatch.cli.failure.FailureHandler;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code alerts} verbs against a real alerting API (engine and HTTP server in-process, no Kafka). */
class AlertsCommandTest {
    private static final String TOKEN = "cli-test-token-0123456789abcdef";
    private static final String HOT_CHIP = "p00-r01-n02-c03";
    private static final String SILENT_NODE = "p00-r02-n05";

    @TempDir
    Path dir;
    private AlertEngine engine;
    private Delivery delivery;
    private ApiServer server;
    private Path tokenFile;
    private String url;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        AlertingMetrics metrics = new AlertingMetrics();
        delivery = new Delivery(List.of(), Backoff.DEFAULT, metrics, clock);
        engine = new AlertEngine(RulesLoader.loadDefaults(), clock, new InMemoryStateStore(), delivery,
                AlertEventSink.NONE, metrics, "http://alerting.test");
        engine.enableDispatch();
        server = new ApiServer("127.0.0.1", 0, TOKEN, engine.facade(), metrics, Map::of, clock);
        url = "http://127.0.0.1:" + server.port();
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        long now = clock.millis();
        engine.ingest(List.of(
                Anomaly.builder().type(AnomalyType.OVERHEAT).entity(HOT_CHIP).tag("chip", HOT_CHIP)
                        .tag("node", "p00-r01-n02").tag("rack", "p00-r01").tag("pod", "p00").startMillis(now - 60_000)
                        .value(97.5).threshold(95).detail("climbing").build(),
                Anomaly.builder().type(AnomalyType.NODE_DOWN).entity(SILENT_NODE).tag("node", SILENT_NODE)
                        .tag("rack", "p00-r02").tag("pod", "p00").startMillis(now - 30_000).value(5).threshold(3)
                        .detail("all chips silent").build())).get();
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
        delivery.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run alerts(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--alerting-url", url, "--token-file", tokenFile.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AlertsCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new FailureHandler(() -> dir.resolve("cli.log")));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString().replace(System.lineSeparator(), "\n"), err.toString());
    }

    @Test
    void listShowsTheActiveAlertsAsATableOrTheApisJsonAndFiltersByLabel() throws Exception {
        Run table = alerts("list");
        assertThat(table.exit()).as(table.err()).isZero();
        String[] lines = table.out().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).matches("FINGERPRINT +SEVERITY +ALERTNAME +ENTITY +STATE +SINCE +SUMMARY");
        assertThat(table.out()).contains("ChipOverheating", HOT_CHIP, "NodeDown", SILENT_NODE, "firing");

        Run json = alerts("list", "-o", "json", "alertname=\"NodeDown\"");
        assertThat(json.exit()).isZero();
        JsonNode nodes = new ObjectMapper().readTree(json.out());
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).path("entity").asText()).isEqualTo(SILENT_NODE);
        assertThat(nodes.get(0).path("severity").asText()).isEqualTo("critical");

        Run regex = alerts("list", "node=~\"p00-r01-.*\"");
        assertThat(regex.out()).contains(HOT_CHIP).doesNotContain(SILENT_NODE);
    }

    @Test
    void ackMarksTheAlertAcknowledgedItStaysListedAndUndoTakesItBack() {
        String fp = engine.facade().activeAlerts(false).stream()
                .filter(a -> a.alert().alertname().equals("ChipOverheating")).findFirst().orElseThrow()
                .alert().fingerprint();
        Run ack = alerts("ack", fp, "--by", "alice", "--comment", "on it");
        assertThat(ack.exit()).as(ack.err()).isZero();
        assertThat(ack.out().strip()).isEqualTo("acknowledged " + fp + " ChipOverheating (" + HOT_CHIP
                + "): acknowledged (by alice)");
        assertThat(alerts("list", "chip=\"" + HOT_CHIP + "\"").out()).contains("acknowledged (by alice)");

        Run undo = alerts("ack", "--undo", fp);
        assertThat(undo.exit()).isZero();
        assertThat(alerts("list", "chip=\"" + HOT_CHIP + "\"").out()).doesNotContain("acknowledged");
    }

    @Test
    void silenceCreatesASilenceThatSilencesListsAndUnsilenceExpires() throws Exception {
        Run silence = alerts("silence", "node=\"" + SILENT_NODE + "\"", "--duration", "2h", "--comment", "rebooting",
                "--by", "bob");
        assertThat(silence.exit()).as(silence.err()).isZero();
        String id = silence.out().strip();
        assertThat(id).isNotBlank().doesNotContain("\n");
        assertThat(alerts("list", "alertname=NodeDown").out()).contains("firing, silenced");

        JsonNode silences = new ObjectMapper().readTree(alerts("silences", "-o", "json").out());
        assertThat(silences).hasSize(1);
        assertThat(silences.get(0).path("id").asText()).isEqualTo(id);
        assertThat(silences.get(0).path("state").asText()).isEqualTo("active");
        assertThat(silences.get(0).path("createdBy").asText()).isEqualTo("bob");
        assertThat(alerts("silences").out()).contains(id, "active", "node=\"" + SILENT_NODE + "\"", "rebooting");

        Run unsilence = alerts("unsilence", id);
        assertThat(unsilence.exit()).isZero();
        assertThat(unsilence.out().strip()).isEqualTo("expired " + id + " (expired)");
    }

    @Test
    void badArgumentsExitTwoAndAFailingServiceExitsOneWithOneLine() throws Exception {
        assertThat(alerts("list", "-o", "yaml").exit()).isEqualTo(2);
        assertThat(alerts("list", "not a matcher").exit()).isEqualTo(2);
        assertThat(alerts("silence", "node=\"x\"", "--duration", "soon", "--comment", "c").exit()).isEqualTo(2);
        assertThat(alerts("silence", "node=\"x\"").exit()).as("--comment is required").isEqualTo(2);

        Run unknown = alerts("ack", "0123456789abcdef");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).startsWith("telemetry ack: the alerting service answered 404: ")
                .doesNotContain("\n");

        Files.writeString(tokenFile, "wrong");
        Run refused = alerts("list");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("answered 401").contains("wrong token? see --token-file");
    }
}
