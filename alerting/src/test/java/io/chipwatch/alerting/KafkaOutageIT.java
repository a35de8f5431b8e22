package io.chipwatch.alerting;

import io.chipwatch.alerting.testing.AnomalyPublisher;
import io.chipwatch.alerting.testing.ApiClient;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.TestRules;
import io.chipwatch.alerting.testing.TestWebhook;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.testsupport.DedicatedKafka;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker goes away under a running service and comes back: the alert stays on the page and API meanwhile,
 * nothing is paged twice, and the resolution published after the outage is delivered.
 */
@ExtendWith(RealInfrastructureExtension.class)
class KafkaOutageIT {

    @Test
    void aBrokerOutageLosesNothingAndPagesNobodyTwice(DedicatedKafka kafka, @TempDir Path dir) throws Exception {
        kafka.createTopic("anomalies", 1);
        try (TestWebhook hook = new TestWebhook();
             AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .port(0).tokenFile(dir.resolve("token")).rulesFile(TestRules.fast(dir)).webhook(hook.url()))) {
            ApiClient api = new ApiClient(service.url(), service.token());
            Anomaly down = Anomalies.chip(AnomalyType.CHIP_DOWN, "p04-r01-n01-c01", System.currentTimeMillis());
            try (AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), "anomalies")) {
                publisher.publish(down);
            }
            Await.until("the page", Duration.ofSeconds(15), () -> hook.received().size() == 1);

            kafka.stop();
            Thread.sleep(3000);
            assertThat(api.get("/api/alerts")).as("still shown while Kafka is down").hasSize(1);
            assertThat(hook.received()).hasSize(1);
            kafka.start();

            try (AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), "anomalies")) {
                publisher.publish(down.close(System.currentTimeMillis()));
            }
            Await.until("the resolution", Duration.ofSeconds(60), () -> hook.received().size() == 2);
            assertThat(hook.received().get(1).body().get("status").asText()).isEqualTo("resolved");
            Thread.sleep(2000);
            assertThat(hook.received()).hasSize(2);
        }
    }
}
