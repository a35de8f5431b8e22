package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Severity;
import io.chipwatch.jobs.testing.KeyedHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.chipwatch.jobs.detect.Readings.chip;
import static io.chipwatch.jobs.detect.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

class StuckSensorDetectorTest {
    @RegisterExtension
    final KeyedHarness<ChipReading, Anomaly> rig =
            KeyedHarness.of(() -> new StuckSensorDetector(DetectionConfig.defaults().stuckSensor()), ChipReading::chip);

    private void send(int s, double temp, double power) throws Exception {
        rig.harness().processElement(reading(s * 1000L, 0, 0, 1, "train-1", 90, power, temp, 0), s * 1000L);
    }

    @Test
    void aFrozenReadingWhilePowerMovesIsAStuckSensor() throws Exception {
        for (int s = 0; s < 10; s++) {
            send(s, 75.0 + 0.1 * Math.sin(s), 380 + (s % 3));
        }
        for (int s = 10; s < 20; s++) {
            send(s, 75.123, 380 + (s % 3) * 2);
        }
        send(20, 75.4, 381);

        assertThat(rig.harness().extractOutputValues()).hasSize(2);
        Anomaly open = rig.harness().extractOutputValues().get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.STUCK_SENSOR);
        assertThat(open.severity()).isEqualTo(Severity.WARNING);
        assertThat(open.entity()).isEqualTo(chip(0, 0, 1));
        assertThat(open.startMillis()).isEqualTo(10_000L);
        assertThat(open.eventMillis()).isEqualTo(13_000L);
        assertThat(open.value()).isEqualTo(75.123);
        Anomaly closed = rig.harness().extractOutputValues().get(1);
        assertThat(closed.state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(closed.endMillis()).isEqualTo(20_000L);
    }

    @Test
    void aConstantReadingWithConstantPowerIsNotEvidence() throws Exception {
        for (int s = 0; s < 30; s++) {
            send(s, 40.0, 90.0);
        }
        assertThat(rig.harness().extractOutputValues()).isEmpty();
    }

    @Test
    void aFewRepeatsAreNotEnough() throws Exception {
        for (int s = 0; s < 30; s++) {
            send(s, s % 4 == 0 ? 70.0 : 70.0 + s, 300 + s);
        }
        send(30, 71.0, 300);
        send(31, 71.0, 310);
        send(32, 71.0, 290);
        send(33, 71.5, 300);
        assertThat(rig.harness().extractOutputValues()).isEmpty();
    }
}
