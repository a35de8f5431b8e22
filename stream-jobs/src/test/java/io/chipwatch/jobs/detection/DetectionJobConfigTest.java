package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.detect.DetectionConfig;
import io.chipwatch.jobs.functions.SampleValidator;
import io.chipwatch.model.sample.ChipSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionJobConfigTest {

    @Test
    void defaultsNeedOnlyTheBroker() {
        DetectionJobConfig c = DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "127.0.0.1:9092"});
        assertThat(c.job().topic()).isEqualTo("chip-samples");
        assertThat(c.anomaliesTopic()).isEqualTo("anomalies");
        assertThat(c.job().groupId()).isEqualTo("chipwatch-detection");
        assertThat(c.transactionalIdPrefix()).isEqualTo("chipwatch-detection");
        assertThat(c.job().influxUrl()).isEmpty();
        assertThat(c.job().outOfOrderness()).isEqualTo(Duration.ofMillis(400));
        assertThat(c.job().checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.anomalyDelivery()).isEqualTo(AnomalyDelivery.AT_LEAST_ONCE);
        assertThat(c.job().bounded()).isFalse();
        assertThat(c.detection()).isEqualTo(DetectionConfig.defaults());
        assertThat(c.chips()).as("any chip id unless --chips").isZero();
        assertThat(c.maxFuture()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.maxAge()).isEqualTo(Duration.ofDays(7).minusHours(1));
    }

    @Test
    void theSampleGuardsAreTheAggregationJobsChecks() {
        DetectionJobConfig c = DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1", "--chips", "16",
                "--max-future-ms", "1000", "--max-age-ms", "60000"});
        SampleValidator v = c.sampleValidator();
        long now = System.currentTimeMillis();
        assertThat(v.check(sample(now, "p00-r00-n01-c07"))).isNull();
        assertThat(v.check(sample(now, "p00-r00-n02-c00")).reason()).isEqualTo(DeadLetter.Reason.UNKNOWN_CHIP);
        assertThat(v.check(sample(now + 60_000, "p00-r00-n00-c00")).reason())
                .isEqualTo(DeadLetter.Reason.FUTURE_TIMESTAMP);
        assertThat(v.check(sample(now - 120_000, "p00-r00-n00-c00")).reason())
                .isEqualTo(DeadLetter.Reason.STALE_TIMESTAMP);
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1", "--chips", "12"}))
                .hasMessageContaining("--chips");
    }

    private static ChipSample sample(long ts, String chip) {
        String node = chip.substring(0, chip.lastIndexOf('-'));
        return new ChipSample(ts, chip, node, node.substring(0, node.lastIndexOf('-')), "p00", null, 5, 40, 90,
                List.of());
    }

    @Test
    void readsEveryOption(@TempDir Path dir) throws Exception {
        Path thresholds = dir.resolve("t.yaml");
        Files.writeString(thresholds, "silence:\n  missedSamples: 5\n");
        DetectionJobConfig c = DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1", "--topic", "s",
                "--anomalies-topic", "a", "--group-id", "g", "--transactional-id-prefix", "tx",
                "--anomaly-delivery", "Exactly_Once",
                "--influx-url", "http://i:8086", "--influx-db", "db", "--detection-config", thresholds.toString(),
                "--out-of-orderness-ms", "500", "--idleness-ms", "0", "--bounded", "--parallelism", "3",
                "--web-port", "8089", "--checkpoint-interval-ms", "700", "--checkpoint-dir", dir.toString(), "--restore-latest"});
        assertThat(c.anomaliesTopic()).isEqualTo("a");
        assertThat(c.transactionalIdPrefix()).isEqualTo("tx");
        assertThat(c.anomalyDelivery()).isEqualTo(AnomalyDelivery.EXACTLY_ONCE);
        assertThat(c.job().influxUrl()).hasValue("http://i:8086");
        assertThat(c.detection().silence().missedSamples()).isEqualTo(5);
        assertThat(c.job().idleness()).isZero();
        assertThat(c.job().bounded()).isTrue();
        assertThat(c.job().parallelism()).hasValue(3);
        assertThat(c.job().checkpointDir()).hasValue(dir.toAbsolutePath().toUri());
        assertThat(c.job().restoreLatest()).isTrue();
    }

    @Test
    void restoringTheLatestCheckpointNeedsADirectoryToLookIn() {
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1", "--restore-latest"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--restore-latest needs --checkpoint-dir");
        assertThat(DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1"}).job().checkpointDir())
                .as("no directory: a temporary one").isEmpty();
    }

    @Test
    void aBadThresholdFailsAtStartNamingItsKey(@TempDir Path dir) throws Exception {
        Path thresholds = dir.resolve("t.yaml");
        Files.writeString(thresholds, "overheat:\n  criticalC: hot\n");
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1",
                "--detection-config", thresholds.toString()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--detection-config")
                .hasMessageContaining("overheat.criticalC");
    }

    @Test
    void usageErrorsNameTheOption() {
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{}))
                .hasMessageContaining("--bootstrap");
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1", "--colour", "red"}))
                .hasMessageContaining("--colour");
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1",
                "--influx-url", "influx:8086"})).hasMessageContaining("--influx-url");
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1",
                "--checkpoint-interval-ms", "1"})).hasMessageContaining("--checkpoint-interval-ms");
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[]{"--bootstrap", "b:1",
                "--anomaly-delivery", "twice"})).hasMessageContaining("--anomaly-delivery")
                .hasMessageContaining("at-least-once|exactly-once");
    }
}
