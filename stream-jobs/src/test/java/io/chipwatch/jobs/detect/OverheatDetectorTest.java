package io.chipwatch.jobs.detect;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyFacts;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OverheatDetectorTest {
    private RackRig rig;

    @BeforeEach
    void open() throws Exception {
        rig = RackRig.training(new OverheatDetector(DetectionConfig.defaults()), 6);
        // Past the thermal model's warm-up, in thermal equilibrium.
        assertThat(rig.run(180)).isEmpty();
    }

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 2.0})
    void aChipHeatingBeyondItsPowerIsCalledWithinSecondsAndWellBelowTheCriticalLimit(double ratePerS)
            throws Exception {
        ChipSim hot = rig.node(2).get(5);
        List<Anomaly> found = new ArrayList<>();
        int seconds = 0;
        while (found.isEmpty() && seconds < 30) {
            hot.extraHeatC += ratePerS;
            found.addAll(rig.run(1));
            seconds++;
        }
        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.OVERHEAT);
            assertThat(a.scope()).isEqualTo(Scope.CHIP);
            assertThat(a.entity()).isEqualTo(hot.chip);
            assertThat(a.tags()).containsEntry("rack", hot.rack).containsEntry("job", "train-2");
            // What the alert shows: the chip's temperature as it read (the tick before the last, the watermark's
            // delay: one second of heating), the limit, and how fast it climbs.
            assertThat(a.fact(Fact.TEMP_C).orElseThrow())
                    .isCloseTo(hot.tempC + hot.extraHeatC, within(ratePerS + 0.5));
            assertThat(a.fact(Fact.LIMIT_C)).hasValue(90.0);
            assertThat(a.fact(Fact.RISE_C_PER_S).orElseThrow()).isBetween(0.4 * ratePerS, 1.4 * ratePerS);
            assertThat(a.facts().keySet()).containsAll(AnomalyFacts.required(AnomalyType.OVERHEAT).stream()
                    .map(Fact::key).toList());
        });
        // At 0.5 °C/s the relative excess needs 6 s to pass minExcessC (3 °C, above whole-degree rounding and
        // the spread of chips' thermal lag); faster faults pass it sooner.
        assertThat(seconds).as("seconds from onset to detection").isLessThanOrEqualTo(ratePerS >= 1 ? 5 : 8);
        assertThat(hot.tempC + hot.extraHeatC).isLessThan(90);
    }

    @Test
    void closesOnceTheChipIsBackToNormal() throws Exception {
        ChipSim hot = rig.node(1).get(0);
        List<Anomaly> found = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hot.extraHeatC += 1.0;
            found.addAll(rig.run(1));
        }
        hot.extraHeatC = 0;
        found.addAll(rig.run(30));
        assertThat(found).extracting(Anomaly::state).containsExactly(AnomalyState.OPEN, AnomalyState.CLOSED);
        assertThat(found.get(1).id()).isEqualTo(found.get(0).id());
    }

    @Test
    void jobsStartingAndStoppingRaiseNothing() throws Exception {
        rig.setNode(7, "train-7", 95);
        rig.setNode(8, "train-8", 95);
        rig.setNode(0, null, 1.5);
        rig.setNode(1, null, 1.5);
        assertThat(rig.run(240)).isEmpty();
    }

    @Test
    void aWholeRackHeatingTogetherIsNotAChipOverheat() throws Exception {
        for (ChipSim c : rig.chips) {
            c.inletC += 19;
        }
        assertThat(rig.run(240)).isEmpty();
    }

    @Test
    void aSingleAbsurdReadingRaisesNothing() throws Exception {
        assertThat(rig.glitch(rig.node(3).get(3), 163.4)).isEmpty();
        assertThat(rig.run(30)).isEmpty();
    }

    @Test
    void aStuckSensorIsNotAnOverheatWhateverThePowerDoes() throws Exception {
        ChipSim stuck = rig.node(2).get(1);
        stuck.frozenC = 71.234;
        List<Anomaly> found = new ArrayList<>();
        for (int step = 0; step < 20; step++) {
            rig.setNode(2, "train-2", 92);
            found.addAll(rig.run(6));
            rig.setNode(2, "train-2", 38);
            found.addAll(rig.run(3));
        }
        rig.setNode(2, null, 1.5);
        found.addAll(rig.run(120));
        assertThat(found).isEmpty();
    }

    @Test
    void communicationPhasesRaiseNothing() throws Exception {
        List<Anomaly> found = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            for (int n = 0; n < 6; n++) {
                rig.setNode(n, "train-" + n, 92);
            }
            found.addAll(rig.run(6));
            for (int n = 0; n < 6; n++) {
                rig.setNode(n, "train-" + n, 38);
            }
            found.addAll(rig.run(3));
        }
        assertThat(found).isEmpty();
    }
}
