package io.chipwatch.jobs.detect;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RackCoolingDetectorTest {
    private RackRig rig;

    @BeforeEach
    void open() throws Exception {
        rig = RackRig.training(new RackCoolingDetector(DetectionConfig.defaults().rackCooling()), 7);
        assertThat(rig.run(180)).isEmpty();
    }

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    @ParameterizedTest
    @ValueSource(doubles = {11, 15, 19})
    void aHotterInletIsOneRackAnomalyWithinSecondsListingTheChips(double inletRiseC) throws Exception {
        for (ChipSim c : rig.chips) {
            c.inletC += inletRiseC;
        }
        List<Anomaly> found = new ArrayList<>();
        int seconds = 0;
        while (found.isEmpty() && seconds < 30) {
            found.addAll(rig.run(1));
            seconds++;
        }
        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.RACK_COOLING);
            assertThat(a.scope()).isEqualTo(Scope.RACK);
            assertThat(a.entity()).isEqualTo("p00-r03");
            assertThat(a.affected()).hasSizeGreaterThan(40);
        });
        assertThat(seconds).as("seconds from onset to detection").isLessThanOrEqualTo(5);
        assertThat(rig.run(120)).isEmpty();
        for (ChipSim c : rig.chips) {
            c.inletC -= inletRiseC;
        }
        assertThat(rig.run(240)).extracting(Anomaly::state).containsExactly(AnomalyState.CLOSED);
    }

    @Test
    void jobsStartingAndStoppingAcrossTheRackRaiseNothing() throws Exception {
        for (int n = 0; n < 7; n++) {
            rig.setNode(n, null, 1.5);
        }
        assertThat(rig.run(200)).isEmpty();
        for (int n = 0; n < 10; n++) {
            rig.setNode(n, "train-big", 95);
        }
        assertThat(rig.run(300)).isEmpty();
    }

    @Test
    void oneHotChipIsNotTheRack() throws Exception {
        ChipSim hot = rig.node(4).get(2);
        for (int i = 0; i < 30; i++) {
            hot.extraHeatC += 1.5;
            assertThat(rig.run(1)).isEmpty();
        }
    }

    @Test
    void aSlowDriftOfTheInletIsLearned() throws Exception {
        // +1 °C in 20 minutes: ten times the steepest part of the hall's daily swing (±1 °C over a day).
        for (int i = 0; i < 1200; i++) {
            for (ChipSim c : rig.chips) {
                c.inletC += 1.0 / 1200;
            }
            assertThat(rig.run(1)).isEmpty();
        }
    }
}
