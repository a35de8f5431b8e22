package io.chipwatch.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.alerting.pathwatch.PathWatchSettings;
import io.chipwatch.alerting.testing.AnomalyPublisher;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.TestRules;
import io.chipwatch.alerting.testing.TestWebhook;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path watch on a real Kafka: a stream job's consumer group whose committed offsets stay behind a samples topic
 * written 200 records a second pages ONE PipelineDegraded naming the job, with its lag, and resolves once the group
 * commits at the topic's end again.
 */
@ExtendWith(RealInfrastructureExtension.class)
class PathWatchIT {
    @Test
    void aJobBehindTheSamplesTopicPagesOnceNamingItAndResolvesWhenItCatchesUp(KafkaService kafka, @TempDir Path dir)
            throws Exception {
        String anomalies = kafka.createUniqueTopic("anomalies", 1);
        String samples = kafka.createUniqueTopic("samples", 2);
        String group = TestTopics.unique("detection");
        PathWatchSettings watch = new PathWatchSettings(Map.of("detection", group), Duration.ofSeconds(3),
                Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMillis(500));
        AtomicBoolean caughtUp = new AtomicBoolean(false);
        ScheduledExecutorService tasks = Executors.newScheduledThreadPool(2);
        try (TestWebhook hook = new TestWebhook();
             AnomalyPublisher writer = new AnomalyPublisher(kafka.bootstrapServers(), samples);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // The collector: 20 records every 100 ms. The job: commits offset 0 (never moves) until it "catches up",
            // then the topic's end every 200 ms.
            tasks.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 20; i++) {
                    writer.publishRaw(("c" + i).getBytes(StandardCharsets.UTF_8), new byte[]{1});
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            List<TopicPartition> partitions = List.of(new TopicPartition(samples, 0), new TopicPartition(samples, 1));
            tasks.scheduleAtFixedRate(() -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                    if (caughtUp.get()) {
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
                        admin.listOffsets(latest).all().get().forEach((p, info) ->
                                commit.put(p, new OffsetAndMetadata(info.offset())));
                    } else {
                        partitions.forEach(p -> commit.put(p, new OffsetAndMetadata(0)));
                    }
                    admin.alterConsumerGroupOffsets(group, commit).all().get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            try (AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                    .anomaliesTopic(anomalies).stateTopic(TestTopics.unique("alerting_state"))
                    .groupId(TestTopics.unique("alerting")).webhook(hook.url()).port(0)
                    .watchSamples(samples, Duration.ofSeconds(10)).pathWatch(watch)
                    .tokenFile(dir.resolve("token")).rulesFile(TestRules.fast(dir)))) {
                Await.until("the PipelineDegraded page", Duration.ofSeconds(60), () -> hook.received().size() >= 1);
                JsonNode alert = hook.received().get(0).body().get("alerts").get(0);
                assertThat(hook.received().get(0).body().get("status").asText()).isEqualTo("firing");
                assertThat(alert.at("/labels/alertname").asText()).isEqualTo("PipelineDegraded");
                assertThat(alert.at("/labels/entity").asText()).isEqualTo("detection");
                assertThat(alert.at("/labels/category").asText()).isEqualTo("telemetry");
                assertThat(alert.at("/annotations/summary").asText())
                        .matches("Telemetry path degraded at detection: \\d+(\\.\\d)? s behind \\(limit 3 s\\)");
                assertThat(alert.at("/annotations/description").asText())
                        .contains("stream job detection (consumer group " + group + ")", "behind the newest sample of "
                                + samples, "checkpoints fail");

                caughtUp.set(true);
                Await.until("the resolution", Duration.ofSeconds(60), () -> hook.received().size() >= 2);
                assertThat(hook.received().get(1).body().get("status").asText()).isEqualTo("resolved");
                Thread.sleep(3000);
                assertThat(hook.received()).as("one page, one resolution").hasSize(2);
            }
        } finally {
            tasks.shutdownNow();
            tasks.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
