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
        send(s, temp, power, 0);
    }

    /** A reading {@code excess} above what the chip's model expects (expected = temp - excess). */
    private void send(int s, double temp, double power, double excess) throws Exception {
        rig.harness().processElement(reading(s * 1000L, 0, 0, 1, "train-1", 90, power, temp, excess), s * 1000L);
    }

    @Test
    void aFrozenReadingWhileTheExpectedTemperatureMovesIsAStuckSensor() throws Exception {
        for (int s = 0; s < 10; s++) {
            send(s, 75.0 + 0.1 * Math.sin(s), 380 + (s % 3));
        }
        // Frozen at 75 while the load climbs: the model expects 0.5 °C more every second.
        for (int s = 10; s < 20; s++) {
            double expected = 75.0 + 0.5 * (s - 10);
            send(s, 75.0, 380 + 10 * (s - 10), 75.0 - expected);
        }
        send(20, 80.0, 381);

        assertThat(rig.harness().extractOutputValues()).hasSize(2);
        Anomaly open = rig.harness().extractOutputValues().get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.STUCK_SENSOR);
        assertThat(open.severity()).isEqualTo(Severity.WARNING);
        assertThat(open.entity()).isEqualTo(chip(0, 0, 1));
        // Decided once the model moved 3 °C (second 16): that is when the evidence is complete.
        assertThat(open.startMillis()).isEqualTo(16_000L);
        assertThat(open.eventMillis()).isEqualTo(16_000L);
        assertThat(open.value()).isEqualTo(75.0);
        Anomaly closed = rig.harness().extractOutputValues().get(1);
        assertThat(closed.state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(closed.endMillis()).isEqualTo(20_000L);
    }

    @Test
    void aWholeDegreeReadingThatRepeatsWhileTheModelBarelyMovesIsNotEvidence() throws Exception {
        // A live sensor reporting whole degrees on a chip whose expected temperature wanders within 2 °C.
        for (int s = 0; s < 60; s++) {
            double expected = 70.0 + Math.sin(s / 5.0);
            send(s, 70.0, 300 + 50 * Math.sin(s / 5.0), 70.0 - expected);
        }
        assertThat(rig.harness().extractOutputValues()).isEmpty();
    }

    @Test
    void aReadingFarAboveItsModelIsHeatNotABlindSensor() throws Exception {
        // An overheating die held at its 105 °C ceiling while power moves: overheat's business, not stuck_sensor's.
        for (int s = 0; s < 30; s++) {
            double expected = 70.0 + 0.5 * s;
            send(s, 105.0, 300 + 5 * s, 105.0 - expected);
        }
        assertThat(rig.harness().extractOutputValues()).isEmpty();
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
