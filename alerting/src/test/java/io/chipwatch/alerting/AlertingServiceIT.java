package io.chipwatch.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.alerting.testing.AnomalyPublisher;
import io.chipwatch.alerting.testing.ApiClient;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.TestRules;
import io.chipwatch.alerting.testing.TestWebhook;
import io.chipwatch.infra.LocalAlertmanager;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service end to end on a real broker, a real Alertmanager and a real InfluxDB: an anomaly opens and closes;
 * the test webhook gets exactly one page, then exactly one resolution; Alertmanager's API shows the alert under the
 * same fingerprint; the {@code alert} measurement records both changes; a restart on the same state topic pages
 * nobody again.
 */
@ExtendWith(RealInfrastructureExtension.class)
class AlertingServiceIT {
    private static final String CHIP = "p01-r02-n03-c04";

    @Test
    void oneNotificationPerProblemThenItsResolutionAcrossAlertmanagerWebhookAndInflux(
            KafkaService kafka, InfluxService influx, @TempDir Path dir) throws Exception {
        String topic = TestTopics.unique("anomalies");
        String db = TestTopics.unique("telemetry");
        kafka.createTopic(topic, 1);
        influx.createDatabase(db);
        try (LocalAlertmanager am = LocalAlertmanager.builder().dataDir(dir.resolve("am")).build().start();
             TestWebhook hook = new TestWebhook();
             AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), topic);
             AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .anomaliesTopic(topic).stateTopic(TestTopics.unique("alerting_state"))
                     .groupId(TestTopics.unique("alerting")).influx(influx.url(), db)
                     .alertmanagerUrl(am.url()).webhook(hook.url()).port(0)
                     .tokenFile(dir.resolve("token")).rulesFile(TestRules.fast(dir)))) {
            ApiClient api = new ApiClient(service.url(), service.token());
            ApiClient amApi = new ApiClient(am.url(), null);
            Await.until("the consumer to catch up", Duration.ofSeconds(30), service::caughtUp);

            Anomaly open = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, System.currentTimeMillis());
            publisher.publish(open);
            Await.until("the page", Duration.ofSeconds(15), () -> hook.received().size() >= 1);
            JsonNode page = hook.received().get(0).body();
            assertThat(page.get("version").asText()).isEqualTo("4");
            assertThat(page.get("status").asText()).isEqualTo("firing");
            assertThat(page.get("receiver").asText()).isEqualTo("webhook-1");
            assertThat(page.get("groupKey").asText()).isEqualTo("{}:{alertname=\"ChipDown\", entity=\"" + CHIP + "\"}");
            assertThat(page.get("groupLabels").get("entity").asText()).isEqualTo(CHIP);
            assertThat(page.get("commonLabels").get("chip").asText()).isEqualTo(CHIP);
            assertThat(page.get("externalURL").asText()).isEqualTo(service.url());
            assertThat(page.get("alerts")).hasSize(1);
            JsonNode alert = page.get("alerts").get(0);
            assertThat(alert.get("status").asText()).isEqualTo("firing");
            assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("ChipDown");
            assertThat(alert.get("annotations").get("summary").asText()).contains(CHIP);
            assertThat(alert.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
            assertThat(alert.get("generatorURL").asText()).startsWith(service.url() + "/#alert=");
            String fingerprint = alert.get("fingerprint").asText();

            // Our API and Alertmanager's show the same alert under the same fingerprint.
            JsonNode active = api.get("/api/alerts");
            assertThat(active).hasSize(1);
            assertThat(active.get(0).get("fingerprint").asText()).isEqualTo(fingerprint);
            Await.until("Alertmanager to list the alert", Duration.ofSeconds(10),
                    () -> fingerprints(amApi.get("/api/v2/alerts")).contains(fingerprint));
            JsonNode inAm = find(amApi.get("/api/v2/alerts"), fingerprint);
            assertThat(inAm.get("labels").get("chip").asText()).isEqualTo(CHIP);
            assertThat(inAm.get("status").get("state").asText()).isEqualTo("active");

            Thread.sleep(3000); // three group intervals: nothing new must go out
            assertThat(hook.received()).as("exactly one page").hasSize(1);

            publisher.publish(open.close(System.currentTimeMillis()));
            Await.until("the resolution", Duration.ofSeconds(15), () -> hook.received().size() >= 2);
            JsonNode resolved = hook.received().get(1).body();
            assertThat(resolved.get("status").asText()).isEqualTo("resolved");
            assertThat(resolved.get("alerts").get(0).get("fingerprint").asText()).isEqualTo(fingerprint);
            assertThat(resolved.get("alerts").get(0).get("endsAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
            Await.until("Alertmanager to drop the resolved alert", Duration.ofSeconds(10),
                    () -> !fingerprints(amApi.get("/api/v2/alerts")).contains(fingerprint));
            Thread.sleep(2000);
            assertThat(hook.received()).as("one page, one resolution, nothing else").hasSize(2);
            assertThat(api.get("/api/alerts")).isEmpty();
            assertThat(api.get("/api/alerts/resolved").get(0).get("fingerprint").asText()).isEqualTo(fingerprint);

            Await.until("two alert points in InfluxDB", Duration.ofSeconds(15),
                    () -> alertPoints(influx.url(), db, fingerprint).size() == 2);
            assertThat(alertPoints(influx.url(), db, fingerprint)).containsExactly("firing", "resolved");
            String metrics = new String(HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.url() + "/metrics"))
                            .header("Authorization", "Bearer " + service.token()).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(metrics).contains("chipwatch_alerting_notifications_total{outcome=\"success\",receiver=\"webhook-1\"} 2")
                    .contains("chipwatch_alerting_notifications_total{outcome=\"success\",receiver=\"alertmanager\"} 2");
        }
    }

    @Test
    void aRestartOnTheSameStateTopicDoesNotPageAgain(KafkaService kafka, @TempDir Path dir) throws Exception {
        String topic = TestTopics.unique("anomalies");
        kafka.createTopic(topic, 1);
        AlertingConfig config = AlertingConfig.create(kafka.bootstrapServers()).anomaliesTopic(topic)
                .stateTopic(TestTopics.unique("alerting_state")).groupId(TestTopics.unique("alerting"))
                .port(0).tokenFile(dir.resolve("token")).rulesFile(TestRules.fast(dir));
        try (TestWebhook hook = new TestWebhook();
             AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), topic)) {
            config.webhook(hook.url());
            Anomaly down = Anomalies.node(AnomalyType.NODE_DOWN, "p01-r02-n03", System.currentTimeMillis());
            Anomaly hot = Anomalies.chip(AnomalyType.OVERHEAT, "p01-r05-n01-c02", System.currentTimeMillis());
            try (AlertingService first = AlertingService.start(config)) {
                publisher.publish(down);
                Await.until("the page", Duration.ofSeconds(15), () -> hook.received().size() == 1);
                Await.until("the delivery to be recorded", Duration.ofSeconds(5), () -> first.engine().idle());
                // An anomaly that arrives while the service is down must not be lost.
            }
            publisher.publishRaw("junk".getBytes(), "{\"not\": \"an anomaly\"}".getBytes());
            publisher.publish(hot);
            try (AlertingService second = AlertingService.start(config)) {
                Await.until("the consumer to catch up", Duration.ofSeconds(30), second::caughtUp);
                Await.until("the missed alert's page", Duration.ofSeconds(15), () -> hook.received().size() == 2);
                Thread.sleep(3000);
                assertThat(hook.received()).as("no second page for the node after the restart").hasSize(2);
                assertThat(hook.received().get(1).body().get("alerts").get(0).get("labels").get("alertname").asText())
                        .isEqualTo("ChipOverheating");
                ApiClient api = new ApiClient(second.url(), second.token());
                assertThat(api.get("/api/alerts")).hasSize(2);
                assertThat(api.send("GET", "/api/status", null).get("consumerCaughtUp").asBoolean()).isTrue();
                assertThat(api.text("/metrics")).contains("chipwatch_alerting_anomalies_received_total{outcome=\"invalid\"} 1");
                publisher.publish(down.close(System.currentTimeMillis()));
                Await.until("the resolution after the restart", Duration.ofSeconds(15),
                        () -> hook.received().size() == 3);
                assertThat(hook.received().get(2).body().get("status").asText()).isEqualTo("resolved");
                assertThat(hook.received().get(2).body().get("commonLabels").get("alertname").asText())
                        .isEqualTo("NodeDown");
            }
        }
    }

    private static List<String> fingerprints(JsonNode alerts) {
        List<String> out = new ArrayList<>();
        alerts.forEach(a -> out.add(a.get("fingerprint").asText()));
        return out;
    }

    private static JsonNode find(JsonNode alerts, String fingerprint) {
        for (JsonNode a : alerts) {
            if (a.get("fingerprint").asText().equals(fingerprint)) {
                return a;
            }
        }
        throw new AssertionError("no alert " + fingerprint + " in " + alerts);
    }

    /** The status tags of the alert points of a fingerprint, oldest first. */
    private static List<String> alertPoints(String url, String db, String fingerprint) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult r = client.query(new Query("SELECT fingerprint, summary, status, alertname, chip, node, rack "
                    + "FROM alert WHERE fingerprint = '" + fingerprint + "' ORDER BY time ASC", db));
            List<String> statuses = new ArrayList<>();
            if (r.getResults() == null || r.getResults().get(0).getSeries() == null) {
                return statuses;
            }
            QueryResult.Series s = r.getResults().get(0).getSeries().get(0);
            int status = s.getColumns().indexOf("status");
            int chip = s.getColumns().indexOf("chip");
            for (List<Object> row : s.getValues()) {
                if (!CHIP.equals(row.get(chip))) {
                    throw new AssertionError("point without the chip tag: " + row);
                }
                statuses.add(String.valueOf(row.get(status)));
            }
            return statuses;
        }
    }
}
