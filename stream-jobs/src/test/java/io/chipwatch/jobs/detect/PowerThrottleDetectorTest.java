package io.chipwatch.jobs.detect;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PowerThrottleDetectorTest {
    private NodeRig rig;

    @BeforeEach
    void open() throws Exception {
        rig = new NodeRig(new PowerThrottleDetector(DetectionConfig.defaults()));
        assertThat(rig.run(60)).isEmpty();
    }

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.57, 0.6, 0.63})
    void aChipCappedWhileItsJobIsBusyIsThrottled(double cap) throws Exception {
        while (rig.communicating()) {
            rig.run(1);
        }
        rig.throttled = 6;
        rig.capFraction = cap;
        List<Anomaly> found = new ArrayList<>();
        int seconds = rig.secondsUntilSomething(20, found);

        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.POWER_THROTTLE);
            assertThat(a.entity()).isEqualTo(Readings.chip(2, 4, 6));
            assertThat(a.value()).isLessThan(260);
        });
        assertThat(seconds).isLessThanOrEqualTo(4);
        assertThat(rig.run(60)).isEmpty();
        rig.throttled = -1;
        assertThat(rig.run(30)).extracting(Anomaly::state).containsExactly(AnomalyState.CLOSED);
    }

    @Test
    void aCappedChipOfAnInferenceJobIsThrottledWhenTheLoadHitsTheCap() throws Exception {
        rig.load = NodeRig.Load.INFERENCE;
        rig.inferenceUtil = 65;
        rig.job = "infer-00002";
        assertThat(rig.run(60)).isEmpty();
        rig.throttled = 1;
        List<Anomaly> found = new ArrayList<>();
        assertThat(rig.secondsUntilSomething(30, found)).isPositive();
        assertThat(found).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo(AnomalyType.POWER_THROTTLE));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.6, 0.7, 0.8})
    void aStragglerIsNotThrottled(double straggle) throws Exception {
        rig.straggler = 4;
        rig.straggle = straggle;
        assertThat(rig.run(120)).isEmpty();
    }

    @Test
    void anIdleOrCommunicatingNodeRaisesNothing() throws Exception {
        rig.load = NodeRig.Load.IDLE;
        assertThat(rig.run(120)).isEmpty();
        rig.load = NodeRig.Load.TRAINING;
        rig.commMillis = 3600;
        rig.stepMillis = 12000;
        assertThat(rig.run(600)).isEmpty();
    }
}
