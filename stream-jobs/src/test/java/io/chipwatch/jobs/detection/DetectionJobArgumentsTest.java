package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.detect.DetectionConfig;
import io.chipwatch.jobs.launch.JobSettings;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed builder of the detection job's command line: what it writes is what {@code main} parses. */
class DetectionJobArgumentsTest {

    @Test
    void everyOptionRoundTripsThroughTheCommandLine(@TempDir Path dir) throws Exception {
        Path thresholds = dir.resolve("t.yaml");
        Files.writeString(thresholds, "silence:\n  missedSamples: 5\n");
        Path checkpoints = dir.resolve("checkpoints");
        DetectionJobArguments arguments = new DetectionJobArguments()
                .bootstrapServers("b:1").topic("s").groupId("eval-1").influxUrl("http://i:8086").influxDatabase("db")
                .outOfOrderness(Duration.ofMillis(500)).idleness(Duration.ZERO).tickQuiet(Duration.ofMillis(120)).bounded(true).parallelism(2)
                .webPort(8082).checkpointInterval(Duration.ofMillis(700)).checkpointDir(checkpoints)
                .restoreLatest(true).metricsInterval(Duration.ZERO)
                .anomaliesTopic("a").anomalyDelivery(AnomalyDelivery.EXACTLY_ONCE).transactionalIdPrefix("eval-1")
                .detectionConfigFile(thresholds)
                .chips(80).maxFuture(Duration.ofSeconds(1)).maxAge(Duration.ofSeconds(2));

        assertThat(arguments.arguments()).containsExactly("--bootstrap", "b:1", "--topic", "s",
                "--group-id", "eval-1", "--influx-url", "http://i:8086", "--influx-db", "db",
                "--out-of-orderness-ms", "500", "--idleness-ms", "0", "--tick-quiet-ms", "120", "--bounded", "--parallelism", "2",
                "--web-port", "8082", "--checkpoint-interval-ms", "700", "--checkpoint-dir", checkpoints.toString(),
                "--restore-latest", "--metrics-interval-ms", "0", "--anomalies-topic", "a",
                "--anomaly-delivery", "exactly-once", "--transactional-id-prefix", "eval-1",
                "--detection-config", thresholds.toString(),
                "--chips", "80", "--max-future-ms", "1000", "--max-age-ms", "2000");
        DetectionJobConfig expected = new DetectionJobConfig(new JobSettings("b:1", "s", "eval-1",
                Optional.of("http://i:8086"), "db", Duration.ofMillis(500), Duration.ZERO, Duration.ofMillis(120), true, OptionalInt.of(2),
                8082, "127.0.0.1", Duration.ofMillis(700), Optional.of(checkpoints.toUri()), true, Duration.ZERO, Optional.empty(), Optional.empty()), "a",
                AnomalyDelivery.EXACTLY_ONCE, "eval-1",
                Optional.of(thresholds), DetectionConfig.load(thresholds), 80, Duration.ofMillis(1000),
                Duration.ofMillis(2000));
        assertThat(arguments.build()).isEqualTo(expected);
        assertThat(arguments.build().detection().silence().missedSamples()).isEqualTo(5);
    }

    @Test
    void theKafkaCredentialsAreAFilePathOnTheCommandLineReadOnlyWhenTheClientsAreMade(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("kafka-detection.properties"),
                KafkaClientSecurity.render("detection", "a-password-of-some-length", KafkaClientSecurity.SCRAM));
        DetectionJobArguments arguments = new DetectionJobArguments().bootstrapServers("b:1").kafkaCredentials(file);

        assertThat(arguments.arguments()).containsSequence("--kafka-credentials", file.toString())
                .noneMatch(a -> a.contains("a-password-of-some-length"));
        JobSettings job = arguments.build().job();
        assertThat(job.kafkaCredentials()).contains(file);
        assertThat(job.kafkaSecurity()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(job.toString()).doesNotContain("a-password-of-some-length");
        assertThat(new DetectionJobArguments().bootstrapServers("b:1").build().job().kafkaSecurity()).isEmpty();
    }

    @Test
    void theDefaultsAreThoseOfTheBareCommandLine() {
        DetectionJobConfig config = new DetectionJobArguments().bootstrapServers("b:1").build();

        assertThat(config).isEqualTo(DetectionJobConfig.fromArgs("--bootstrap", "b:1"));
        assertThat(config.job().influxUrl()).isEmpty();
        assertThat(config.detectionConfigFile()).isEmpty();
        assertThat(config.detection()).isEqualTo(DetectionConfig.defaults());
    }
}
