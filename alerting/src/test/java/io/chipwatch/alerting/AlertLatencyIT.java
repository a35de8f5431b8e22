package io.chipwatch.alerting;

import io.chipwatch.alerting.testing.AnomalyPublisher;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.TestWebhook;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time from publishing an anomaly on Kafka to its page arriving at a webhook, with the documented default rules
 * (group_wait 500ms), 20 samples. Writes {@code target/alert-latency.txt}. The service's share of CONTRACTS.md §5's
 * "fault onset to alert delivered" budget (p95 ≤ 5 s must, ≤ 2 s goal).
 */
@ExtendWith(RealInfrastructureExtension.class)
class AlertLatencyIT {
    private static final int SAMPLES = 20;

    @Test
    void publishToWebhookLatency(KafkaService kafka, @TempDir Path dir) throws Exception {
        String topic = TestTopics.unique("anomalies");
        kafka.createTopic(topic, 1);
        List<Double> millis = new ArrayList<>();
        try (TestWebhook hook = new TestWebhook();
             AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), topic);
             AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .anomaliesTopic(topic).stateTopic(TestTopics.unique("alerting_state"))
                     .groupId(TestTopics.unique("alerting")).port(0).tokenFile(dir.resolve("token"))
                     .webhook(hook.url()))) {
            Await.until("the consumer to catch up", Duration.ofSeconds(30), service::caughtUp);
            // Warm-up (JIT, connections), not counted.
            publisher.publish(Anomalies.chip(AnomalyType.CHIP_DOWN, "p03-r00-n00-c00", System.currentTimeMillis()));
            Await.until("the warm-up page", Duration.ofSeconds(15), () -> hook.received().size() == 1);
            for (int i = 0; i < SAMPLES; i++) {
                String chip = String.format("p03-r01-n%02d-c%02d", i / 8, i % 8);
                int before = hook.received().size();
                long t0 = System.nanoTime();
                publisher.publish(Anomalies.chip(AnomalyType.CHIP_DOWN, chip, System.currentTimeMillis()));
                Await.until("page " + i, Duration.ofSeconds(15), () -> hook.received().size() == before + 1);
                TestWebhook.Received r = hook.received().get(before);
                assertThat(r.body().get("alerts").get(0).get("labels").get("chip").asText()).isEqualTo(chip);
                millis.add((r.atNanos() - t0) / 1e6);
                Thread.sleep(100);
            }
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double p50 = percentile(sorted, 50);
        double p95 = percentile(sorted, 95);
        String report = String.format("anomaly publish -> webhook delivery, %d samples, default rules (group_wait "
                        + "500ms): p50 %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms%nall (ms): %s%n", SAMPLES, p50,
                p95, sorted.get(0), sorted.get(sorted.size() - 1), millis.stream().map(m -> String.format("%.0f", m))
                        .toList());
        System.out.print(report);
        Files.writeString(Path.of("target", "alert-latency.txt"), report);
        assertThat(p95).as("p95 publish-to-page latency (ms)").isLessThan(5000);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
