package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.launch.JobSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The typed builder of the aggregation job's command line: what it writes is what {@code main} parses. */
class AggregationJobArgumentsTest {

    @Test
    void everyOptionRoundTripsThroughTheCommandLine() {
        AggregationJobArguments arguments = new AggregationJobArguments()
                .bootstrapServers("k1:9092,k2:9092").topic("t").groupId("g")
                .influxUrl("https://influx:8086").influxDatabase("db")
                .outOfOrderness(Duration.ofMillis(1500)).idleness(Duration.ZERO).bounded(true).parallelism(3)
                .webPort(8081).webAddress("10.0.0.5").checkpointInterval(Duration.ofSeconds(2)).checkpointDir(Path.of("/srv/ckpt"))
                .restoreLatest(true).metricsInterval(Duration.ofMillis(500))
                .deadLetterTopic("dlq").windowSize(Duration.ofSeconds(5)).clusterName("lab").chips(10_000)
                .maxFuture(Duration.ofMinutes(1)).rawRetention(Duration.ofDays(3))
                .capacity1mRetention(Duration.ofDays(30)).capacity1hRetention(Duration.ofDays(365))
                .linkDetailInterval(Duration.ofSeconds(30)).linkUnhealthyRatio(2.5);

        assertThat(arguments.arguments()).containsExactly("--bootstrap", "k1:9092,k2:9092", "--topic", "t",
                "--group-id", "g", "--influx-url", "https://influx:8086", "--influx-db", "db",
                "--out-of-orderness-ms", "1500", "--idleness-ms", "0", "--bounded", "--parallelism", "3",
                "--web-port", "8081", "--web-address", "10.0.0.5", "--checkpoint-interval-ms", "2000", "--checkpoint-dir", "/srv/ckpt",
                "--restore-latest", "--metrics-interval-ms", "500", "--dead-letter-topic", "dlq",
                "--window-seconds", "5", "--cluster-name", "lab", "--chips", "10000", "--max-future-ms", "60000",
                "--raw-retention-days", "3", "--capacity-1m-retention-days", "30",
                "--capacity-1h-retention-days", "365", "--link-detail-interval-ms", "30000",
                "--link-unhealthy-ratio", "2.5");
        AggregationJobConfig expected = new AggregationJobConfig(new JobSettings("k1:9092,k2:9092", "t", "g",
                Optional.of("https://influx:8086"), "db", Duration.ofMillis(1500), Duration.ZERO, Duration.ZERO, true,
                OptionalInt.of(3), 8081, "10.0.0.5", Duration.ofSeconds(2), Optional.of(URI.create("file:///srv/ckpt")), true,
                Duration.ofMillis(500), Optional.empty(), Optional.empty()), "dlq", Duration.ofSeconds(5), "lab", 10_000, Duration.ofMinutes(1),
                Duration.ofDays(3), Duration.ofDays(30), Duration.ofDays(365), Duration.ofSeconds(30), 2.5);
        assertThat(arguments.build()).isEqualTo(expected);
        assertThat(AggregationJobConfig.fromArgs(arguments.arguments().toArray(String[]::new))).isEqualTo(expected);
    }

    @Test
    void unsetOptionsAreLeftOutSoTheJobsDefaultsApply() {
        AggregationJobArguments arguments = new AggregationJobArguments().bootstrapServers("k:9092")
                .influxUrl("http://i:8086").parallelism(2).parallelism(null).bounded(true).bounded(false);

        assertThat(arguments.arguments()).containsExactly("--bootstrap", "k:9092", "--influx-url", "http://i:8086");
        assertThat(arguments.build()).isEqualTo(AggregationJobConfig.fromArgs("--bootstrap", "k:9092",
                "--influx-url", "http://i:8086"));
        assertThat(arguments.build().job().parallelism()).isEmpty();
    }

    @Test
    void aValueTheCommandLineCannotCarryFailsNamingTheOption() {
        AggregationJobArguments arguments = new AggregationJobArguments().bootstrapServers("k:9092")
                .influxUrl("http://i:8086").windowSize(Duration.ofMillis(1500))
                .rawRetention(Duration.ofHours(36));

        assertThat(arguments.arguments()).containsSubsequence("--window-seconds", "1.5", "--raw-retention-days", "1.5");
        assertThatThrownBy(arguments::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--window-seconds has invalid value '1.5'");
    }

    @Test
    void theInfluxCredentialsFileTravelsAsAPathAndMustBeReadable(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("influxdb-writer"), "chipwatch_writer:very-secret-password\n");
        AggregationJobArguments arguments = new AggregationJobArguments().bootstrapServers("k:9092")
                .influxUrl("http://i:8086").influxCredentialsFile(file);

        assertThat(arguments.arguments()).containsSubsequence("--influx-credentials-file", file.toString())
                .noneMatch(a -> a.contains("very-secret-password"));
        assertThat(arguments.build().job().influxCredentialsFile()).contains(file);
        assertThatThrownBy(() -> AggregationJobConfig.fromArgs("--bootstrap", "k:9092", "--influx-url",
                "http://i:8086", "--influx-credentials-file", dir.resolve("missing").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--influx-credentials-file has invalid value");
    }

    @Test
    void aUriCheckpointDirectoryIsPassedAsGiven() {
        assertThat(new AggregationJobArguments().checkpointDir("file:///var/ckpt").arguments())
                .containsExactly("--checkpoint-dir", "file:///var/ckpt");
    }
}
