package io.chipwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.fault.FaultScope;
import org.junit.jupiter.api.Test;

class EnumLabelsTest {
    @Test
    void labelIsTheLowerCaseName() {
        assertThat(EnumLabels.label(AnomalyType.CHIP_DOWN)).isEqualTo("chip_down");
    }

    @Test
    void findIsLenientAndEmptyForUnknownOrNull() {
        assertThat(EnumLabels.find(AnomalyType.class, " Node_Down ")).contains(AnomalyType.NODE_DOWN);
        assertThat(EnumLabels.find(AnomalyType.class, "node-down")).isEmpty();
        assertThat(EnumLabels.find(AnomalyType.class, null)).isEmpty();
    }

    @Test
    void parseTrimsIgnoresCaseAndRejectsUnknownLabels() {
        assertThat(EnumLabels.parse(FaultScope.class, " rack ")).isEqualTo(FaultScope.RACK);
        assertThatThrownBy(() -> EnumLabels.parse(FaultScope.class, "pod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FaultScope.POD");
    }
}
