package io.chipwatch.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.alerting.testing.AnomalyPublisher;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.ApiClient;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.TestRules;
import io.chipwatch.alerting.testing.TestWebhook;
import io.chipwatch.infra.LocalAlertmanager;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor watching itself, on a real Kafka and Debian's prometheus-alertmanager: the Watchdog heartbeat reaches
 * Alertmanager and is re-posted on the keepalive cadence; a samples topic nobody writes to pages ONE TelemetrySilent
 * naming the collector, holds back chip availability pages meanwhile, and resolves when a sample is written.
 */
@ExtendWith(RealInfrastructureExtension.class)
class SelfMonitoringIT {

    private static JsonNode watchdog(JsonNode alerts) {
        for (JsonNode a : alerts) {
            if ("Watchdog".equals(a.at("/labels/alertname").asText())) {
                return a;
            }
        }
        return null;
    }

    @Test
    void theWatchdogReachesAlertmanagerAndIsRepostedEveryKeepalive(KafkaService kafka, @TempDir Path dir)
            throws Exception {
        String topic = kafka.createUniqueTopic("anomalies", 1);
        try (LocalAlertmanager am = LocalAlertmanager.builder().dataDir(dir.resolve("am")).build().start();
             AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .anomaliesTopic(topic).stateTopic(TestTopics.unique("alerting_state"))
                     .groupId(TestTopics.unique("alerting")).alertmanagerUrl(am.url())
                     .alertmanagerKeepalive(Duration.ofSeconds(1)).port(0)
                     .tokenFile(dir.resolve("token")).rulesFile(TestRules.fast(dir)))) {
            ApiClient amApi = new ApiClient(am.url(), null);
            AtomicReference<JsonNode> first = new AtomicReference<>();
            Await.until("Alertmanager to list the Watchdog", Duration.ofSeconds(60),
                    () -> {
                        first.set(watchdog(amApi.get("/api/v2/alerts")));
                        return first.get() != null;
                    });
            assertThat(first.get().at("/labels/severity").asText()).isEqualTo("none");
            assertThat(first.get().at("/status/state").asText()).isEqualTo("active");
            assertThat(first.get().at("/annotations/summary").asText()).contains("alive");
            Instant endsAt = Instant.parse(first.get().get("endsAt").asText());

            Await.until("a keepalive to push its end further", Duration.ofSeconds(15),
                    () -> Instant.parse(watchdog(amApi.get("/api/v2/alerts")).get("endsAt").asText())
                            .isAfter(endsAt));
            assertThat(service.health().ok()).isTrue();
        }
    }

    @Test
    void aSilentSamplesTopicPagesOnceNamingTheCollectorAndHoldsBackChipDown(KafkaService kafka, @TempDir Path dir)
            throws Exception {
        String anomalies = kafka.createUniqueTopic("anomalies", 1);
        String samples = kafka.createUniqueTopic("samples", 2);
        try (TestWebhook hook = new TestWebhook();
             AnomalyPublisher sampleWriter = new AnomalyPublisher(kafka.bootstrapServers(), samples);
             AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), anomalies)) {
            try (AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                    .anomaliesTopic(anomalies).stateTopic(TestTopics.unique("alerting_state"))
                    .groupId(TestTopics.unique("alerting")).webhook(hook.url()).port(0)
                    .watchSamples(samples, Duration.ofSeconds(3))
                    .tokenFile(dir.resolve("token")).rulesFile(TestRules.fast(dir)))) {
                // The collector writes once after the service started, then dies. (Nothing written since the start
                // gets the first-record grace, 60 s: a stack's collector starts after this service.)
                sampleWriter.publishRaw("c".getBytes(StandardCharsets.UTF_8), new byte[]{1});
                ApiClient api = new ApiClient(service.url(), service.token());
                Await.until("the TelemetrySilent page", Duration.ofSeconds(30), () -> hook.received().size() >= 1);
                JsonNode page = hook.received().get(0).body();
                assertThat(page.get("status").asText()).isEqualTo("firing");
                JsonNode alert = page.get("alerts").get(0);
                assertThat(alert.at("/labels/alertname").asText()).isEqualTo("TelemetrySilent");
                assertThat(alert.at("/labels/entity").asText()).isEqualTo("collector");
                assertThat(alert.at("/labels/scope").asText()).isEqualTo("source");
                assertThat(alert.at("/annotations/description").asText()).contains("no sample written to " + samples);

                // A chip "down" while nothing reports is the outage's, not the chip's: no page.
                Anomaly chipDown = Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r00-n00-c00",
                        System.currentTimeMillis());
                publisher.publish(chipDown);
                Await.until("the ChipDown alert to fire", Duration.ofSeconds(15),
                        () -> api.get("/api/alerts").size() == 2);
                Thread.sleep(3000);
                assertThat(hook.received()).as("only the TelemetrySilent page").hasSize(1);
                publisher.publish(chipDown.close(System.currentTimeMillis()));

                // The collector is back: a sample every 500 ms from now on.
                ScheduledExecutorService collector = Executors.newSingleThreadScheduledExecutor();
                try {
                    collector.scheduleAtFixedRate(() -> sampleWriter.publishRaw(
                            "c".getBytes(StandardCharsets.UTF_8), new byte[]{2}), 0, 500, TimeUnit.MILLISECONDS);
                    Await.until("the resolution", Duration.ofSeconds(30), () -> hook.received().size() >= 2);
                    JsonNode resolved = hook.received().get(1).body();
                    assertThat(resolved.get("status").asText()).isEqualTo("resolved");
                    assertThat(resolved.at("/alerts/0/labels/alertname").asText()).isEqualTo("TelemetrySilent");
                    Thread.sleep(5000);
                    assertThat(hook.received()).as("one page, one resolution, no ChipDown").hasSize(2);
                    assertThat(service.health().status()).isEqualTo("ok");
                } finally {
                    collector.shutdownNow();
                    collector.awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
