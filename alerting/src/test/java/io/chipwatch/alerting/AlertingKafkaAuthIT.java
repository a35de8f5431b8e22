package io.chipwatch.alerting;

import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.source.AnomalyConsumer;
import io.chipwatch.alerting.source.SampleFlowWatch;
import io.chipwatch.alerting.state.KafkaStateStore;
import io.chipwatch.infra.LocalKafka;
import io.chipwatch.infra.kafka.KafkaAcls;
import io.chipwatch.infra.kafka.KafkaCredentialFiles;
import io.chipwatch.infra.kafka.KafkaRole;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Alerting's own Kafka clients (anomaly consumer, state store, sample-flow watch) on a broker that authenticates and
 * authorizes as the local stack's does: with the alerting principal's credentials file they do all they need; with
 * another principal's the state topic stays closed.
 */
class AlertingKafkaAuthIT {
    private static final KafkaAcls.Names NAMES = new KafkaAcls.Names("chip-samples", "fault-truth",
            "chip-samples-dead-letter", "anomalies", AlertingConfig.DEFAULT_STATE_TOPIC, "chipwatch-aggregation",
            "chipwatch-detection", AlertingConfig.DEFAULT_GROUP_ID, "chipwatch-detection");

    @TempDir
    static Path tmp;
    static KafkaCredentialFiles files;
    static LocalKafka kafka;

    @BeforeAll
    static void start() {
        files = new KafkaCredentialFiles(tmp.resolve("secrets")).createMissing();
        kafka = LocalKafka.builder().dataDir(tmp.resolve("kafka")).startTimeout(Duration.ofSeconds(120))
                .security(files.brokerSecurity(NAMES)).build().start();
        kafka.createTopics(Map.of("chip-samples", 2, "anomalies", 1));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void theAlertingPrincipalReadsAnomaliesKeepsItsStateAndWatchesTheSamples() throws Exception {
        Path alerting = files.file(KafkaRole.ALERTING);
        Anomaly anomaly = SampleFlowWatch.adopt(List.of("telemetry_silent:collector:1000"), 1000).orElseThrow();
        send(KafkaRole.DETECTION, "anomalies", AnomalyCodec.key(anomaly), new AnomalyCodec().encode(anomaly));
        send(KafkaRole.COLLECTOR, "chip-samples", "chip-0".getBytes(StandardCharsets.UTF_8), new byte[] {1});

        try (KafkaStateStore state = new KafkaStateStore(kafka.bootstrapServers(), alerting,
                AlertingConfig.DEFAULT_STATE_TOPIC, AlertingConfig.DEFAULT_GROUP_ID)) {
            state.write("silence/s1", "{}".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertThat(state.load()).containsOnlyKeys("silence/s1");
        }
        try (SampleFlowWatch.KafkaNewestRecord newest = new SampleFlowWatch.KafkaNewestRecord(
                kafka.bootstrapServers(), alerting, "chip-samples")) {
            assertThat(newest.newestMillis()).isPresent();
        }
        List<Anomaly> received = new CopyOnWriteArrayList<>();
        try (AnomalyConsumer consumer = new AnomalyConsumer(kafka.bootstrapServers(), alerting, "anomalies",
                AlertingConfig.DEFAULT_GROUP_ID, batch -> {
                    received.addAll(batch);
                    return CompletableFuture.completedFuture(null);
                }, new AlertingMetrics(), () -> { })) {
            consumer.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(received).extracting(Anomaly::id).containsExactly(anomaly.id());
            assertThat(consumer.health().failures()).isZero();
        }
    }

    @Test
    void noOtherPrincipalOpensTheStateTopic() {
        assertThatThrownBy(() -> new KafkaStateStore(kafka.bootstrapServers(), files.file(KafkaRole.DETECTION),
                AlertingConfig.DEFAULT_STATE_TOPIC, "intruder").close())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TopicAuthorizationException");
    }

    private static void send(KafkaRole role, String topic, byte[] key, byte[] value) throws Exception {
        Properties p = KafkaClientSecurity.apply(new Properties(), files.file(role));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }
}
