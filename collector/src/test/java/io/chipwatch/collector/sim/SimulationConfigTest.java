package io.chipwatch.collector.sim;

import io.chipwatch.model.topology.ClusterShape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationConfigTest {

    @Test
    void defaults() {
        SimulationConfig c = SimulationConfig.builder().build();
        assertThat(c.chips()).isEqualTo(10_000);
        assertThat(c.shape()).isEqualTo(ClusterShape.DEFAULT);
        assertThat(c.seed()).isEqualTo(1);
        assertThat(c.sampleIntervalMillis()).isEqualTo(1000);
        assertThat(c.startMillis()).isEqualTo(1_767_225_600_000L);
        assertThat(c.busyFraction()).isEqualTo(0.75);
    }

    @Test
    void toBuilderRoundTripsAndEqualityIsByValue() {
        SimulationConfig c = SimulationConfig.builder().chips(80).seed(9).sampleIntervalMillis(100).startMillis(5).build();
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(c.toBuilder().seed(10).build()).isNotEqualTo(c);
    }

    @Test
    void rejectsValuesOutOfRange() {
        assertThatThrownBy(() -> SimulationConfig.builder().chips(0).build()).hasMessageContaining("chips");
        assertThatThrownBy(() -> SimulationConfig.builder().chips(12).build()).hasMessageContaining("multiple of the 8");
        assertThatThrownBy(() -> SimulationConfig.builder().sampleIntervalMillis(0).build())
                .hasMessageContaining("sampleIntervalMillis");
        assertThatThrownBy(() -> SimulationConfig.builder().busyFraction(1.5).build()).hasMessageContaining("busyFraction");
    }
}
