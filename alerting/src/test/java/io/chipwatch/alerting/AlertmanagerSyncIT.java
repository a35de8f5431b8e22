package io.chipwatch.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.chipwatch.alerting.testing.AnomalyPublisher;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.ApiClient;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.TestRules;
import io.chipwatch.alerting.testing.TestWebhook;
import io.chipwatch.infra.AlertmanagerConfig;
import io.chipwatch.infra.LocalAlertmanager;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Silences and acknowledgements shared with a real Alertmanager (Debian's prometheus-alertmanager) that pages a
 * test webhook and would repeat every 2 s: a silence made in Chipwatch appears there and is expired there with it;
 * one made there (as amtool does, API v2) appears and mutes here and ends here when expired there; an acknowledged
 * alert stops Alertmanager's repeats (while the keepalives keep it firing there) until it is unacknowledged.
 */
@ExtendWith(RealInfrastructureExtension.class)
class AlertmanagerSyncIT {
    private static final String HOT = "p00-r01-n02-c03";
    private static final String MUTED = "p00-r01-n04-c05";

    private static JsonNode find(JsonNode silences, String text) {
        for (JsonNode s : silences) {
            if (s.path("comment").asText().contains(text)) {
                return s;
            }
        }
        return null;
    }

    private static JsonNode byId(JsonNode silences, String id) {
        for (JsonNode s : silences) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        return null;
    }

    private static long firingPagesOf(TestWebhook hook, String chip) {
        return hook.received().stream().map(TestWebhook.Received::body)
                .filter(b -> "firing".equals(b.path("status").asText()))
                .filter(b -> b.path("alerts").findValuesAsText("chip").contains(chip)).count();
    }

    @Test
    void silencesAndAcknowledgementsAreOneSetWithAlertmanagers(KafkaService kafka, @TempDir Path dir)
            throws Exception {
        String topic = kafka.createUniqueTopic("anomalies", 1);
        try (TestWebhook hook = new TestWebhook();
             LocalAlertmanager am = LocalAlertmanager.builder().dataDir(dir.resolve("am"))
                     .config(AlertmanagerConfig.webhooks(hook.url())
                             .timing(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2)))
                     .build().start();
             AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), topic);
             AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .anomaliesTopic(topic).stateTopic(TestTopics.unique("alerting_state"))
                     .groupId(TestTopics.unique("alerting")).alertmanagerUrl(am.url())
                     .alertmanagerKeepalive(Duration.ofSeconds(1)).alertmanagerSync(Duration.ofMillis(500))
                     .port(0).tokenFile(dir.resolve("token")).rulesFile(TestRules.fast(dir)))) {
            ApiClient api = new ApiClient(service.url(), service.token());
            ApiClient amApi = new ApiClient(am.url(), null);

            // Chipwatch → Alertmanager.
            String ours = api.post("/api/silences", "{\"matchers\":[\"node=\\\"p00-r07-n01\\\"\"],\"duration\":\"1h\","
                    + "\"createdBy\":\"bob\",\"comment\":\"fan swap\"}").get("id").asText();
            Await.until("the silence in Alertmanager", Duration.ofSeconds(20),
                    () -> find(amApi.get("/api/v2/silences"), "[chipwatch silence " + ours + "]") != null);
            JsonNode copy = find(amApi.get("/api/v2/silences"), "[chipwatch silence " + ours + "]");
            assertThat(copy.at("/status/state").asText()).isEqualTo("active");
            assertThat(copy.get("createdBy").asText()).isEqualTo("bob");
            assertThat(copy.at("/matchers/0/name").asText()).isEqualTo("node");
            assertThat(copy.at("/matchers/0/value").asText()).isEqualTo("p00-r07-n01");
            Await.until("the id kept", Duration.ofSeconds(10), () -> copy.get("id").asText()
                    .equals(api.get("/api/silences/" + ours).path("alertmanagerId").asText()));
            api.send("DELETE", "/api/silences/" + ours, null);
            Await.until("the copy expired", Duration.ofSeconds(20), () -> "expired".equals(
                    byId(amApi.get("/api/v2/silences"), copy.get("id").asText()).at("/status/state").asText()));

            // Alertmanager → Chipwatch: made as amtool makes it, it mutes here.
            Instant now = Instant.now();
            String theirs = amApi.post("/api/v2/silences", "{\"matchers\":[{\"name\":\"chip\",\"value\":\"" + MUTED
                    + "\",\"isRegex\":false,\"isEqual\":true}],\"startsAt\":\"" + now + "\",\"endsAt\":\""
                    + now.plus(Duration.ofHours(1)) + "\",\"createdBy\":\"carol\",\"comment\":\"bench test\"}")
                    .get("silenceID").asText();
            Await.until("the Alertmanager silence in Chipwatch", Duration.ofSeconds(20),
                    () -> byId(api.get("/api/silences"), theirs) != null);
            JsonNode imported = api.get("/api/silences/" + theirs);
            assertThat(imported.get("origin").asText()).isEqualTo("alertmanager");
            assertThat(imported.get("createdBy").asText()).isEqualTo("carol");
            assertThat(imported.get("state").asText()).isEqualTo("active");
            publisher.publish(Anomalies.chip(AnomalyType.OVERHEAT, MUTED, System.currentTimeMillis()));
            Await.until("the muted alert", Duration.ofSeconds(20), () -> api.get("/api/alerts").size() == 1);
            assertThat(api.get("/api/alerts").get(0).get("silencedBy").get(0).asText()).isEqualTo(theirs);
            amApi.send("DELETE", "/api/v2/silence/" + theirs, null);
            Await.until("the silence expired here too", Duration.ofSeconds(20),
                    () -> "expired".equals(api.get("/api/silences/" + theirs).get("state").asText()));
            assertThat(api.get("/api/silences")).hasSize(2).as("nothing imported twice, ours not imported back");

            // An acknowledgement: Alertmanager stops repeating the page, though the keepalives go on.
            publisher.publish(Anomalies.chip(AnomalyType.OVERHEAT, HOT, System.currentTimeMillis()));
            Await.until("Alertmanager's page", Duration.ofSeconds(30), () -> firingPagesOf(hook, HOT) >= 1);
            Await.until("Alertmanager's repeat (2 s)", Duration.ofSeconds(30), () -> firingPagesOf(hook, HOT) >= 2);
            String fp = null;
            List<String> labelNames = new ArrayList<>();
            for (JsonNode a : api.get("/api/alerts")) {
                if (HOT.equals(a.at("/labels/chip").asText())) {
                    fp = a.get("fingerprint").asText();
                    a.get("labels").fieldNames().forEachRemaining(labelNames::add);
                }
            }
            assertThat(fp).isNotNull();
            api.post("/api/alerts/" + fp + "/ack", "{\"by\":\"alice\",\"comment\":\"on it\"}");
            Await.until("the alert suppressed in Alertmanager", Duration.ofSeconds(20),
                    () -> "suppressed".equals(alertIn(amApi, HOT).at("/status/state").asText()));
            JsonNode ackSilence = find(amApi.get("/api/v2/silences"), "[chipwatch ack " + fp + "@");
            assertThat(ackSilence.get("createdBy").asText()).isEqualTo("alice");
            assertThat(ackSilence.get("comment").asText()).startsWith("Acknowledged in Chipwatch by alice: on it");
            assertThat(ackSilence.get("matchers").findValuesAsText("name")).containsExactlyInAnyOrderElementsOf(labelNames);
            Thread.sleep(1500); // a page Alertmanager may have been sending at the ack
            long pagesAtAck = firingPagesOf(hook, HOT);
            Instant endsAt = Instant.parse(alertIn(amApi, HOT).get("endsAt").asText());
            Thread.sleep(6000); // three repeat intervals, six keepalives
            assertThat(firingPagesOf(hook, HOT)).as("no repeat while acknowledged").isEqualTo(pagesAtAck);
            assertThat(Instant.parse(alertIn(amApi, HOT).get("endsAt").asText())).as("keepalives went on")
                    .isAfter(endsAt);

            String acked = fp;
            api.send("DELETE", "/api/alerts/" + fp + "/ack", null);
            Await.until("the acknowledgement's silence expired", Duration.ofSeconds(20), () -> "expired".equals(
                    find(amApi.get("/api/v2/silences"), "[chipwatch ack " + acked + "@").at("/status/state").asText()));
            Await.until("Alertmanager repeating again", Duration.ofSeconds(30),
                    () -> firingPagesOf(hook, HOT) > pagesAtAck);
        }
    }

    private static JsonNode alertIn(ApiClient amApi, String chip) {
        for (JsonNode a : amApi.get("/api/v2/alerts")) {
            if (chip.equals(a.at("/labels/chip").asText())) {
                return a;
            }
        }
        return MissingNode.getInstance();
    }
}
