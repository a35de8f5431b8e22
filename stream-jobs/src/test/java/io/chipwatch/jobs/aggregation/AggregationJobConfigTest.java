package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.functions.LinkDetail;
import io.chipwatch.jobs.sink.influx.RetentionPolicySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregationJobConfigTest {
    private static final String[] REQUIRED = {"--bootstrap", "127.0.0.1:9092", "--influx-url", "http://127.0.0.1:8086"};

    @Test
    void defaults() {
        AggregationJobConfig c = AggregationJobConfig.fromArgs(REQUIRED);

        assertThat(c.job().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.influxUrl()).isEqualTo("http://127.0.0.1:8086");
        assertThat(c.job().topic()).isEqualTo("chip-samples");
        assertThat(c.deadLetterTopic()).isEqualTo("chip-samples-dead-letter");
        assertThat(c.job().groupId()).isEqualTo("chipwatch-aggregation");
        assertThat(c.job().influxDatabase()).isEqualTo("telemetry");
        assertThat(c.windowSize()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.job().outOfOrderness()).isEqualTo(Duration.ofMillis(2000));
        assertThat(c.job().idleness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.job().bounded()).isFalse();
        assertThat(c.job().parallelism()).isEmpty();
        assertThat(c.job().webPort()).isZero();
        assertThat(c.job().checkpointInterval()).isEqualTo(Duration.ofMillis(10_000));
        assertThat(c.clusterName()).isEqualTo("chipwatch");
        assertThat(c.chips()).isZero();
        assertThat(c.maxFuture()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.rawRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.capacity1mRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(c.capacity1hRetention()).isEqualTo(Duration.ofDays(1095));
        assertThat(c.maxSampleAge()).isEqualTo(Duration.ofDays(7).minusHours(1));
        assertThat(c.retentionPolicies()).containsExactly(
                new RetentionPolicySpec("raw_7d", Duration.ofDays(7), true),
                new RetentionPolicySpec("capacity_90d", Duration.ofDays(90), false),
                new RetentionPolicySpec("capacity_3y", Duration.ofDays(1095), false));
        assertThat(c.linkDetail()).isEqualTo(new LinkDetail(60_000L, 4.0));
    }

    @Test
    void parsesTheLinkDetailOptions() {
        AggregationJobConfig c = parse("--window-seconds", "5", "--link-detail-interval-ms", "15000",
                "--link-unhealthy-ratio", "2.5");

        assertThat(c.linkDetail()).isEqualTo(new LinkDetail(15_000L, 2.5));
    }

    @Test
    void parsesTheValidationAndRetentionOptions() {
        AggregationJobConfig c = parse("--cluster-name", "lab", "--chips", "10000", "--max-future-ms", "60000",
                "--raw-retention-days", "3", "--capacity-1m-retention-days", "30", "--capacity-1h-retention-days", "365");

        assertThat(c.clusterName()).isEqualTo("lab");
        assertThat(c.chips()).isEqualTo(10_000);
        assertThat(c.maxFuture()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.retentionPolicies()).extracting(RetentionPolicySpec::duration)
                .containsExactly(Duration.ofDays(3), Duration.ofDays(30), Duration.ofDays(365));
        assertThat(c.toString()).contains("chips=10000", "rawRetention=PT72H");
    }

    @Test
    void checkpointDirectoryIsAUriAndRestoringNeedsIt() {
        AggregationJobConfig relative = parse("--checkpoint-dir", "var/flink/checkpoints", "--restore-latest");
        assertThat(relative.job().checkpointDir()).hasValueSatisfying(uri -> assertThat(uri.toString())
                .matches("file:/+.*/var/flink/checkpoints/?"));
        assertThat(relative.job().restoreLatest()).isTrue();
        assertThat(parse("--checkpoint-dir", "file:///srv/ckpt").job().checkpointDir())
                .hasValue(URI.create("file:///srv/ckpt"));
        assertThat(parse("--checkpoint-dir", "file:/srv/ckpt").job().checkpointDir())
                .as("a file: URI without an authority").hasValue(URI.create("file:/srv/ckpt"));
        assertThat(parse("--checkpoint-dir", "/srv/ckpt").job().checkpointDir())
                .as("a plain path").hasValue(Path.of("/srv/ckpt").toUri());
        assertThat(parse("--checkpoint-dir", "s3://bucket/ckpt").job().checkpointDir())
                .hasValue(URI.create("s3://bucket/ckpt"));
        assertThat(parse("--checkpoint-dir", "file:///srv/ckpt").job().restoreLatest()).isFalse();
        assertThat(AggregationJobConfig.fromArgs(REQUIRED).job().checkpointDir()).isEmpty();

        assertThatThrownBy(() -> parse("--restore-latest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--restore-latest needs --checkpoint-dir");
        assertThatThrownBy(() -> parse("--checkpoint-dir", "file://relative/dir"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--checkpoint-dir");
    }

    @Test
    void parsesEveryOption() {
        AggregationJobConfig c = AggregationJobConfig.fromArgs(new String[]{
                "--bootstrap", "k1:9092,k2:9092", "--topic", "t", "--dead-letter-topic", "dlq", "--group-id", "g",
                "--influx-url", "https://influx:8086", "--influx-db", "db", "--window-seconds", "5",
                "--out-of-orderness-ms", "0", "--idleness-ms", "0", "--bounded", "--parallelism", "3",
                "--web-port", "8081", "--checkpoint-interval-ms", "2000"});

        assertThat(c.job().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.job().topic()).isEqualTo("t");
        assertThat(c.deadLetterTopic()).isEqualTo("dlq");
        assertThat(c.job().groupId()).isEqualTo("g");
        assertThat(c.influxUrl()).isEqualTo("https://influx:8086");
        assertThat(c.job().influxDatabase()).isEqualTo("db");
        assertThat(c.windowSize()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.job().outOfOrderness()).isZero();
        assertThat(c.job().idleness()).isZero();
        assertThat(c.job().bounded()).isTrue();
        assertThat(c.job().parallelism()).hasValue(3);
        assertThat(c.job().webPort()).isEqualTo(8081);
        assertThat(c.job().checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void boundedTakesAnExplicitValueToo() {
        assertThat(parse("--bounded", "false").job().bounded()).isFalse();
        assertThat(parse("--bounded", "true").job().bounded()).isTrue();
    }

    @Test
    void missingBootstrapNamesTheOptionAndAnExample() {
        assertThatThrownBy(() -> AggregationJobConfig.fromArgs(new String[]{"--influx-url", "http://x:8086"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap is required")
                .hasMessageContaining("--bootstrap 127.0.0.1:9092");
    }

    @Test
    void missingInfluxUrlNamesTheOption() {
        assertThatThrownBy(() -> AggregationJobConfig.fromArgs(new String[]{"--bootstrap", "k:9092"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--influx-url is required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--window-seconds|ten|--window-seconds",
            "--window-seconds|0|--window-seconds",
            "--out-of-orderness-ms|-1|--out-of-orderness-ms",
            "--idleness-ms|1.5|--idleness-ms",
            "--parallelism|0|--parallelism",
            "--web-port|70000|--web-port",
            "--checkpoint-interval-ms|5|--checkpoint-interval-ms",
            "--influx-url|influx:8086|--influx-url",
            "--bounded|maybe|--bounded",
            "--chips|12|--chips",
            "--chips|-8|--chips",
            "--max-future-ms|-1|--max-future-ms",
            "--raw-retention-days|0|--raw-retention-days",
            "--capacity-1m-retention-days|6|--capacity-1m-retention-days",
            "--capacity-1h-retention-days|1|--capacity-1h-retention-days",
            "--link-detail-interval-ms|0|--link-detail-interval-ms",
            "--link-detail-interval-ms|15000|--link-detail-interval-ms",
            "--link-detail-interval-ms|soon|--link-detail-interval-ms",
            "--link-unhealthy-ratio|1|--link-unhealthy-ratio",
            "--link-unhealthy-ratio|Infinity|--link-unhealthy-ratio",
            "--link-unhealthy-ratio|NaN|--link-unhealthy-ratio",
    })
    void invalidValueNamesTheOptionAndWhatToPass(String key, String value, String named) {
        assertThatThrownBy(() -> parse(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named)
                .hasMessageContaining("pass");
    }

    @Test
    void optionWithoutValueIsRejected() {
        assertThatThrownBy(() -> parse("--topic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--topic needs a value");
        assertThatThrownBy(() -> parse("--window-seconds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--window-seconds needs a value");
    }

    @Test
    void unknownOptionIsRejectedWithTheListOfOptions() {
        assertThatThrownBy(() -> parse("--window-secs", "5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--window-secs")
                .hasMessageContaining("--window-seconds");
    }

    @Test
    void builderValidatesToo() {
        assertThatThrownBy(() -> AggregationJobConfig.builder().bootstrapServers("k:9092")
                .influxUrl("http://i:8086").windowSize(Duration.ofMillis(1500)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--window-seconds");
        assertThat(AggregationJobConfig.builder().bootstrapServers("k:9092").influxUrl("http://i:8086")
                .parallelism(2).build().job().parallelism()).hasValue(2);
    }

    private static AggregationJobConfig parse(String... extra) {
        String[] args = new String[REQUIRED.length + extra.length];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(extra, 0, args, REQUIRED.length, extra.length);
        return AggregationJobConfig.fromArgs(args);
    }
}
