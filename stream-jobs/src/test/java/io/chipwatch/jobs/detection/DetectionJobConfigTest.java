package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.detect.DetectionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
    }

    @Test
    void readsEveryOption(@TempDir Path dir) throws Exception {
        Path thresholds = dir.resolve("t.yaml");
        Files.writeString(thresholds, "silence:\n  timeoutMs: 5000\n");
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
        assertThat(c.detection().silence().timeoutMs()).isEqualTo(5000);
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
