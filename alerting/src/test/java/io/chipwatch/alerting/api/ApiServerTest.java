package io.chipwatch.alerting.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.alerting.engine.AlertEngine;
import io.chipwatch.alerting.engine.EngineTesting;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Backoff;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.state.InMemoryStateStore;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.ApiClient;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.alerting.testing.RecordingReceiver;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API on a real socket: auth, alerts, acknowledgements, silences, history, errors, page. */
class ApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-token-0123456789abcdef";
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private final HttpClient http = HttpClient.newHttpClient();
    private AlertingMetrics metrics;
    private Delivery delivery;
    private AlertEngine engine;
    private ApiServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        metrics = new AlertingMetrics();
        delivery = new Delivery(List.of(new RecordingReceiver("webhook-1")), Backoff.DEFAULT, metrics, clock);
        engine = new AlertEngine(RulesLoader.loadDefaults(), clock, new InMemoryStateStore(), delivery,
                AlertEventSink.NONE, metrics, "http://alerting.test");
        engine.enableDispatch();
        server = new ApiServer("127.0.0.1", 0, TOKEN, engine.facade(), metrics, () -> Map.of("consumerCaughtUp", true),
                clock);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
        delivery.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String token) {
        return new ApiClient(base, token).exchange(method, path, body);
    }

    private JsonNode ok(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> r = call(method, path, body, TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private void fire(Anomaly... anomalies) throws Exception {
        engine.ingest(List.of(anomalies)).get();
    }

    @Test
    void everyApiCallNeedsTheToken() throws Exception {
        for (String path : List.of("/api/alerts", "/api/silences", "/api/status", "/metrics", "/api/alerts/resolved")) {
            HttpResponse<String> none = call("GET", path, null, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(JSON.readTree(none.body()).get("error").asText()).contains("bearer token");
            assertThat(call("GET", path, null, "wrong").statusCode()).as(path).isEqualTo(401);
        }
        assertThat(call("POST", "/api/alerts/0123456789abcdef/ack", "{}", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/alerts", null, TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void thePageIsServedWithoutTheTokenAndHoldsNoData() throws Exception {
        HttpResponse<String> page = call("GET", "/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        // Jetty writes media type parameters without the optional space.
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                assertThat(v).contains("script-src 'self'"));
        assertThat(page.body()).contains("Chipwatch alerts", "id=\"token\"");
        assertThat(call("GET", "/app.js", null, null).body()).contains("sessionStorage");
        assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/nope", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theRunbooksAreServedWithoutTheTokenAsPlainTextAndNothingElseUnderTheirPath() {
        HttpResponse<String> overheat = call("GET", "/runbooks/overheat.md", null, null);
        assertThat(overheat.statusCode()).isEqualTo(200);
        assertThat(overheat.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
        assertThat(overheat.body()).startsWith("# ChipOverheating").contains("## Escalate");
        assertThat(call("GET", "/runbooks/watchdog.md", null, null).body()).startsWith("# Watchdog");
        assertThat(call("GET", "/runbooks/no_such_alert.md", null, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/runbooks/..%2Falert-rules.yaml", null, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/runbooks/overheat.txt", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void healthzAnswers503WithItsChecksWhenUnhealthy() throws Exception {
        try (ApiServer sick = new ApiServer("127.0.0.1", 0, TOKEN, engine.facade(), metrics, Map::of,
                () -> new ApiServer.Health("unhealthy", Map.of("anomalyConsumer", Map.of("alive", false))), clock)) {
            HttpResponse<String> r = new ApiClient("http://127.0.0.1:" + sick.port(), null)
                    .exchange("GET", "/healthz", null);
            assertThat(r.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("unhealthy");
            assertThat(body.at("/checks/anomalyConsumer/alive").asBoolean(true)).isFalse();
        }
    }

    @Test
    void activeAlertsAreListedWithEntityLabelsAnnotationsAndStart() throws Exception {
        Anomaly warn = Anomalies.chip(AnomalyType.STRAGGLER, "p00-r01-n02-c04", clock.millis() - 5000);
        Anomaly crit = Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis() - 1000);
        fire(warn, crit);
        JsonNode alerts = ok("GET", "/api/alerts", null, 200);
        assertThat(alerts.isArray()).isTrue();
        assertThat(alerts).hasSize(2);
        JsonNode first = alerts.get(0);
        assertThat(first.get("severity").asText()).as("most severe first").isEqualTo("critical");
        assertThat(first.get("alertname").asText()).isEqualTo("ChipDown");
        assertThat(first.get("status").asText()).isEqualTo("firing");
        assertThat(first.get("fingerprint").asText()).matches("[0-9a-f]{16}");
        assertThat(first.get("labels").get("chip").asText()).isEqualTo("p00-r01-n02-c03");
        assertThat(first.get("labels").get("node").asText()).isEqualTo("p00-r01-n02");
        assertThat(first.get("annotations").get("summary").asText()).contains("p00-r01-n02-c03");
        assertThat(first.get("annotations").get("dashboard").asText()).contains("/d/chipwatch-drilldown?");
        assertThat(first.get("startsAt").asText()).isEqualTo(Instant.ofEpochMilli(crit.startMillis()).toString());
        assertThat(first.get("acknowledged").isNull()).isTrue();

        String fp = first.get("fingerprint").asText();
        assertThat(ok("GET", "/api/alerts/" + fp, null, 200).get("alertname").asText()).isEqualTo("ChipDown");
    }

    @Test
    void acknowledgeAnAlert() throws Exception {
        fire(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis()));
        String fp = ok("GET", "/api/alerts", null, 200).get(0).get("fingerprint").asText();
        JsonNode acked = ok("POST", "/api/alerts/" + fp + "/ack", "{\"by\":\"alice\",\"comment\":\"on it\"}", 200);
        assertThat(acked.get("acknowledged").get("by").asText()).isEqualTo("alice");
        assertThat(acked.get("acknowledged").get("comment").asText()).isEqualTo("on it");
        assertThat(ok("GET", "/api/alerts", null, 200).get(0).get("acknowledged").get("by").asText()).isEqualTo("alice");
        // An empty body is fine too.
        assertThat(ok("POST", "/api/alerts/" + fp + "/ack", null, 200).get("acknowledged").get("by").asText())
                .isEqualTo("unknown");
        assertThat(ok("DELETE", "/api/alerts/" + fp + "/ack", null, 200).get("acknowledged").isNull()).isTrue();

        assertThat(ok("POST", "/api/alerts/0123456789abcdef/ack", "{}", 404).get("error").asText())
                .contains("no alert with fingerprint");
        assertThat(ok("POST", "/api/alerts/nothex/ack", "{}", 400).get("error").asText())
                .contains("is not a fingerprint");
        assertThat(ok("POST", "/api/alerts/" + fp + "/ack", "{\"by\":\"a\",\"extra\":1}", 400).get("error").asText())
                .contains("unknown field \"extra\"");
        assertThat(ok("POST", "/api/alerts/" + fp + "/ack", "{not json", 400).get("error").asText())
                .contains("not valid JSON");
        assertThat(ok("GET", "/api/alerts/" + fp + "/ack", null, 405).get("error").asText()).contains("POST");
    }

    @Test
    void acknowledgingAResolvedAlertIsAConflict() throws Exception {
        Anomaly a = Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis());
        fire(a);
        String fp = ok("GET", "/api/alerts", null, 200).get(0).get("fingerprint").asText();
        fire(a.close(clock.millis() + 1));
        assertThat(ok("POST", "/api/alerts/" + fp + "/ack", "{}", 409).get("error").asText()).contains("resolved");
        JsonNode history = ok("GET", "/api/alerts/resolved?limit=5", null, 200);
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("status").asText()).isEqualTo("resolved");
        assertThat(history.get(0).get("endsAt").isNull()).isFalse();
        assertThat(ok("GET", "/api/alerts/resolved?limit=zero", null, 400).get("error").asText()).contains("limit");
    }

    @Test
    void silencesCanBeCreatedListedAndExpired() throws Exception {
        fire(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis()));
        JsonNode created = ok("POST", "/api/silences", """
                {"matchers": ["node=\\"p00-r01-n02\\"", {"name": "alertname", "value": "Chip.*", "isRegex": true}],
                 "duration": "2h", "createdBy": "bob", "comment": "board swap"}""", 201);
        String id = created.get("id").asText();
        assertThat(created.get("state").asText()).isEqualTo("active");
        assertThat(created.get("matchers")).hasSize(2);
        assertThat(ok("GET", "/api/silences", null, 200)).hasSize(1);
        assertThat(ok("GET", "/api/silences/" + id, null, 200).get("createdBy").asText()).isEqualTo("bob");
        assertThat(ok("GET", "/api/alerts", null, 200).get(0).get("silencedBy").get(0).asText()).isEqualTo(id);
        assertThat(ok("DELETE", "/api/silences/" + id, null, 200).get("state").asText()).isEqualTo("expired");
        assertThat(ok("GET", "/api/alerts", null, 200).get(0).get("suppressed").asBoolean()).isFalse();
        assertThat(ok("DELETE", "/api/silences/00000000-0000-0000-0000-000000000000", null, 404).get("error")
                .asText()).contains("no silence");
    }

    @Test
    void badSilencesGetTheReason() throws Exception {
        assertThat(ok("POST", "/api/silences", "{\"matchers\": [], \"duration\": \"1h\", \"createdBy\": \"x\"}", 400)
                .get("error").asText()).contains("matchers");
        assertThat(ok("POST", "/api/silences", "{\"matchers\": [\"a b\"], \"duration\": \"1h\", \"createdBy\": \"x\"}",
                400).get("error").asText()).contains("matchers[0]").contains("is not a matcher");
        assertThat(ok("POST", "/api/silences", "{\"matchers\": [\"rack=x\"], \"duration\": \"soon\", \"createdBy\": \"x\"}",
                400).get("error").asText()).contains("duration: \"soon\" is not a duration");
        assertThat(ok("POST", "/api/silences", "{\"matchers\": [\"rack=x\"], \"createdBy\": \"x\"}", 400)
                .get("error").asText()).contains("endsAt or duration");
        assertThat(ok("POST", "/api/silences", "{\"matchers\": [\"rack=x\"], \"endsAt\": \"tomorrow\", \"createdBy\": \"x\"}",
                400).get("error").asText()).contains("endsAt: \"tomorrow\" is not an RFC 3339 time");
        assertThat(ok("POST", "/api/silences", "{\"matchers\": [\"rack=~.*\"], \"duration\": \"1h\", \"createdBy\": \"x\"}",
                400).get("error").asText()).contains("every alert");
        assertThat(ok("POST", "/api/silences", "{\"matchers\": [\"rack=x\"], \"duration\": \"1h\"}", 400)
                .get("error").asText()).contains("createdBy");
        assertThat(ok("POST", "/api/silences", null, 400).get("error").asText()).contains("JSON body is required");
        HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(URI.create(base + "/api/silences"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(ok("GET", "/api/nothing", null, 404).get("error").asText()).contains("no such resource");
    }

    @Test
    void statusAndMetrics() throws Exception {
        JsonNode status = ok("GET", "/api/status", null, 200);
        assertThat(status.get("alerts").get("firing").asInt()).isZero();
        assertThat(status.get("consumerCaughtUp").asBoolean()).isTrue();
        HttpResponse<String> m = call("GET", "/metrics", null, TOKEN);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("chipwatch_alerting_receiver_up{receiver=\"webhook-1\"} 1");
    }

    @Test
    void aBusyEngineIs503WithRetryAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EngineTesting.blockLoop(engine, release);
        try {
            HttpResponse<String> busy = call("GET", "/api/alerts", null, TOKEN);
            assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("10");
            assertThat(JSON.readTree(busy.body()).get("error").asText()).contains("busy");
        } finally {
            release.countDown();
        }
        assertThat(call("GET", "/api/alerts", null, TOKEN).statusCode()).isEqualTo(200);
        engine.close();
        HttpResponse<String> stopping = call("GET", "/api/silences", null, TOKEN);
        assertThat(stopping.statusCode()).as(stopping.body()).isEqualTo(503);
        assertThat(JSON.readTree(stopping.body()).get("error").asText()).contains("stopping");
    }
}
