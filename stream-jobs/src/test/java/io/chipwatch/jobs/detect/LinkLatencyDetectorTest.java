package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.LinkEndEvent;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LinkLatencyDetectorTest {
    private static final String CHIP = "p00-r01-n02-c01";
    private static final String INTRA = "p00-r01-n02-c01~c05";
    private static final String FABRIC = "p00-r01-n02-c01~sw";
    private KeyedOneInputStreamOperatorTestHarness<String, ChipSample, LinkEndEvent> harness;
    private final Random random = new Random(3);
    private int second;
    /** Workload factor on both links (communication phases x1.4-2.6). */
    private double load = 1.03;
    private double intraFault = 1.0;
    private boolean intraMissing;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new LinkLatencyDetector(DetectionConfig.defaults().link()), ChipSample::chip, Types.STRING);
        assertThat(run(60)).isEmpty();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private double jitter() {
        double j = 1 + 0.02 * -Math.log(1 - random.nextDouble());
        return random.nextDouble() < 0.001 ? j * (1.5 + 1.5 * random.nextDouble()) : j;
    }

    private List<LinkEndEvent> run(int seconds) throws Exception {
        int before = harness.extractOutputValues().size();
        for (int i = 0; i < seconds; i++) {
            long ts = second++ * 1000L;
            List<LinkLatency> links = new ArrayList<>();
            if (!intraMissing) {
                links.add(new LinkLatency(INTRA, "p00-r01-n02-c05", LinkKind.INTRA,
                        1.85 * load * intraFault * jitter()));
            }
            links.add(new LinkLatency(FABRIC, "p00-r01-sw", LinkKind.FABRIC, 3.7 * load * jitter()));
            harness.processElement(new ChipSample(ts, CHIP, "p00-r01-n02", "p00-r01", "p00", "train-1", 90, 70, 370,
                    links), ts);
        }
        List<LinkEndEvent> all = harness.extractOutputValues();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** A training job's steps: 6 s compute, 3 s communication at x2.6, for {@code steps} steps. */
    private List<LinkEndEvent> trainingSteps(int steps) throws Exception {
        List<LinkEndEvent> events = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            load = 1.03;
            events.addAll(run(6));
            load = 2.6;
            events.addAll(run(3));
        }
        load = 1.03;
        return events;
    }

    @ParameterizedTest
    @ValueSource(doubles = {5, 20, 49})
    void aPersistentlySlowLinkIsDegradedWithinFiveSeconds(double factor) throws Exception {
        trainingSteps(10);
        intraFault = factor;
        List<LinkEndEvent> found = new ArrayList<>();
        int seconds = 0;
        while (found.isEmpty() && seconds < 20) {
            found.addAll(run(1));
            seconds++;
        }
        assertThat(found).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("LINK_DEGRADED");
            assertThat(e.open()).isTrue();
            assertThat(e.link()).isEqualTo(INTRA);
            assertThat(e.chip()).isEqualTo(CHIP);
            assertThat(e.ratio()).isBetween(0.8 * factor, 1.2 * factor);
            assertThat(e.facts()).containsKeys(Fact.RATIO_LIMIT.key(), Fact.SAMPLES.key());
        });
        assertThat(seconds - 1).as("seconds from the first slow reading").isLessThanOrEqualTo(5);
        assertThat(trainingSteps(10)).isEmpty();
        intraFault = 1;
        assertThat(run(10)).singleElement().satisfies(e -> assertThat(e.open()).isFalse());
    }

    @Test
    void aLinkMissingFromTheSamplesInBurstsIsFlapping() throws Exception {
        intraMissing = true;
        List<LinkEndEvent> found = run(2);
        assertThat(found).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("LINK_FLAP");
            assertThat(e.open()).isTrue();
            assertThat(e.facts()).containsEntry(Fact.BURSTS.key(), 1.0).containsKey(Fact.WINDOW_S.key())
                    .containsEntry(Fact.MISSING_SAMPLES.key(), 2.0);
        });
        run(2);
        intraMissing = false;
        for (int cycle = 0; cycle < 4; cycle++) {
            assertThat(run(10)).isEmpty();
            intraMissing = true;
            assertThat(run(3)).isEmpty();
            intraMissing = false;
        }
        assertThat(run(40)).singleElement().satisfies(e -> assertThat(e.open()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(doubles = {50, 120, 500})
    void burstsOfHugeLatencyAreFlappingNotDegraded(double factor) throws Exception {
        intraFault = factor;
        List<LinkEndEvent> found = new ArrayList<>(run(5));
        intraFault = 1;
        found.addAll(run(1));
        assertThat(found).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("LINK_FLAP");
            assertThat(e.ratio()).isGreaterThan(0.5 * factor);
            assertThat(e.facts()).containsEntry(Fact.BURSTS.key(), 1.0).containsKey(Fact.WINDOW_S.key());
        });
    }

    @Test
    void communicationPhasesAndMicroburstsRaiseNothing() throws Exception {
        assertThat(trainingSteps(400)).isEmpty();
    }

    @Test
    void aSingleHugeReadingIsNotAFlap() throws Exception {
        intraFault = 300;
        run(1);
        intraFault = 1;
        assertThat(run(120)).isEmpty();
    }
}
