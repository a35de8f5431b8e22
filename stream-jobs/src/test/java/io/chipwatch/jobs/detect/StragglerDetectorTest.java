package io.chipwatch.jobs.detect;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StragglerDetectorTest {
    private NodeRig rig;

    @BeforeEach
    void open() throws Exception {
        rig = new NodeRig(new StragglerDetector(DetectionConfig.defaults()));
        assertThat(rig.run(60)).isEmpty();
    }

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    @ParameterizedTest
    @CsvSource({"0.62, 3", "0.7, 3", "0.8, 3",
            // At the edge of the catalogue (40 % below) a straggler could be a power cap: the verdict waits for
            // the cap's ceiling evidence through a window of compute samples.
            "0.6, 12"})
    void aChipBelowItsJobsPeersInComputePhasesIsAStraggler(double straggle, int maxSeconds) throws Exception {
        while (rig.communicating()) {
            rig.run(1);
        }
        rig.straggler = 5;
        rig.straggle = straggle;
        List<Anomaly> found = new ArrayList<>();
        int seconds = rig.secondsUntilSomething(30, found);

        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.STRAGGLER);
            assertThat(a.scope()).isEqualTo(Scope.CHIP);
            assertThat(a.entity()).isEqualTo(Readings.chip(2, 4, 5));
            assertThat(a.tags()).containsEntry("job", "train-00001");
            assertThat(a.value()).isBetween(straggle - 0.05, straggle + 0.05);
        });
        assertThat(seconds).isBetween(1, maxSeconds);
        // Communication phases, where it keeps up, neither close it nor open another.
        assertThat(rig.run(60)).isEmpty();
        rig.straggler = -1;
        assertThat(rig.run(30)).extracting(Anomaly::state).containsExactly(AnomalyState.CLOSED);
    }

    @Test
    void anInferenceStragglerIsFoundToo() throws Exception {
        rig.load = NodeRig.Load.INFERENCE;
        rig.job = "infer-00002";
        assertThat(rig.run(60)).isEmpty();
        rig.straggler = 2;
        rig.straggle = 0.7;
        List<Anomaly> found = new ArrayList<>();
        assertThat(rig.secondsUntilSomething(20, found)).isBetween(1, 8);
        assertThat(found).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo(AnomalyType.STRAGGLER));
    }

    @Test
    void aThrottledChipIsNotAStraggler() throws Exception {
        rig.throttled = 3;
        assertThat(rig.run(120)).isEmpty();
    }

    @Test
    void communicationPhasesJobStartsAndStopsRaiseNothing() throws Exception {
        rig.commMillis = 3600;
        rig.stepMillis = 12000;
        assertThat(rig.run(600)).isEmpty();
        rig.load = NodeRig.Load.IDLE;
        assertThat(rig.run(60)).isEmpty();
        rig.load = NodeRig.Load.TRAINING;
        rig.job = "train-00003";
        assertThat(rig.run(120)).isEmpty();
        rig.load = NodeRig.Load.INFERENCE;
        rig.job = "infer-00004";
        assertThat(rig.run(600)).isEmpty();
    }
}
