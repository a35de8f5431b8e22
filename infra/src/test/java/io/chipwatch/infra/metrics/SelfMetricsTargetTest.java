package io.chipwatch.infra.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelfMetricsTargetTest {
    @Test
    void aTargetIsAnHttpUrlADatabaseAndAStepOfAtLeastOneSecond() {
        SelfMetricsTarget t = new SelfMetricsTarget("http://127.0.0.1:8086", "telemetry", Optional.empty(),
                SelfMetricsTarget.DEFAULT_STEP);
        assertThat(InfluxSelfMetrics.config(t).uri()).isEqualTo("http://127.0.0.1:8086");
        assertThat(InfluxSelfMetrics.config(t).db()).isEqualTo("telemetry");
        assertThat(InfluxSelfMetrics.config(t).step()).isEqualTo(Duration.ofSeconds(10));
        // Writers hold no admin right: the registry must never try CREATE DATABASE.
        assertThat(InfluxSelfMetrics.config(t).autoCreateDb()).isFalse();
        assertThat(InfluxSelfMetrics.config(t).userName()).isNull();
    }

    @Test
    void badValuesNameWhatIsWrongAndAnExample() {
        assertThatThrownBy(() -> new SelfMetricsTarget("127.0.0.1:8086", "telemetry", Optional.empty(),
                Duration.ofSeconds(10))).hasMessageContaining("must be http(s)://host:port, e.g. http://127.0.0.1:8086");
        assertThatThrownBy(() -> new SelfMetricsTarget("http://127.0.0.1:8086", " ", Optional.empty(),
                Duration.ofSeconds(10))).hasMessageContaining("database must not be blank");
        assertThatThrownBy(() -> new SelfMetricsTarget("http://127.0.0.1:8086", "telemetry", Optional.empty(),
                Duration.ofMillis(500))).hasMessageContaining("under 1 s; give e.g. 10s");
    }
}
