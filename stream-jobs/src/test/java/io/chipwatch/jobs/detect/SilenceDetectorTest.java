package io.chipwatch.jobs.detect;

import static io.chipwatch.jobs.detect.Readings.chip;
import static io.chipwatch.jobs.detect.Readings.node;
import static io.chipwatch.jobs.detect.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import io.chipwatch.jobs.testing.KeyedHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SilenceDetectorTest {
    private static final DetectionConfig.Silence CONFIG = DetectionConfig.defaults().silence();
    @RegisterExtension
    final KeyedHarness<ChipReading, Anomaly> rig = KeyedHarness.of(() -> new SilenceDetector(CONFIG), ChipReading::node);

    /** One tick of the node's 8 chips at second {@code s}, minus the silent ones; then the watermark. */
    private void tick(int s, Set<Integer> silent) throws Exception {
        tickAt(s * 1000L, silent, 1000);
    }

    /** One tick at {@code ts}; the watermark trails the newest samples by one sampling interval. */
    private void tickAt(long ts, Set<Integer> silent, long intervalMs) throws Exception {
        for (int c = 0; c < 8; c++) {
            if (!silent.contains(c)) {
                rig.harness().processElement(reading(ts, 1, 2, c, "train-1", 90, 380, 75, 0), ts);
            }
        }
        rig.harness().processWatermark(ts - intervalMs);
    }

    @Test
    void aSilentChipIsDownWithinSecondsAndUpWhenItReportsAgain() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        for (int s = 10; s < 20; s++) {
            tick(s, Set.of(3));
        }
        assertThat(rig.harness().extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.CHIP_DOWN);
            assertThat(a.scope()).isEqualTo(Scope.CHIP);
            assertThat(a.entity()).isEqualTo(chip(1, 2, 3));
            assertThat(a.state()).isEqualTo(AnomalyState.OPEN);
            assertThat(a.startMillis()).isEqualTo(10_000L);
            // Last sample at 9 s, samples 10, 11 and 12 missed: called at the tick of the third missing one.
            assertThat(a.eventMillis()).isEqualTo(12_000L);
            assertThat(a.tags()).containsEntry("node", node(1, 2)).containsEntry("job", "train-1");
            assertThat(a.fact(Fact.SILENT_S)).hasValue(3.0);
            assertThat(a.fact(Fact.SILENCE_LIMIT_S)).hasValue(3.0);
            assertThat(a.detail()).contains("silent for 3.0 s (limit 3.0 s: 3 samples missed)");
        });
        tick(20, Set.of());
        tick(21, Set.of());
        assertThat(rig.harness().extractOutputValues()).hasSize(2);
        Anomaly closed = rig.harness().extractOutputValues().get(1);
        assertThat(closed.state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(closed.id()).isEqualTo(rig.harness().extractOutputValues().get(0).id());
        assertThat(closed.endMillis()).isEqualTo(20_000L);
    }

    @Test
    void aWholeNodeSilentIsOneNodeAnomalyAndNoChipAnomalies() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        Set<Integer> all = Set.of(0, 1, 2, 3, 4, 5, 6, 7);
        for (int s = 10; s < 30; s++) {
            tick(s, all);
        }
        assertThat(rig.harness().extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.NODE_DOWN);
            assertThat(a.scope()).isEqualTo(Scope.NODE);
            assertThat(a.entity()).isEqualTo(node(1, 2));
            assertThat(a.startMillis()).isEqualTo(10_000L);
            assertThat(a.eventMillis()).isEqualTo(12_000L);
            assertThat(a.affected()).hasSize(8).contains(chip(1, 2, 0), chip(1, 2, 7));
            // Silent since the last sample of any of its chips (9 s), like a chip: not since the first missing one.
            assertThat(a.fact(Fact.SILENT_S)).hasValue(3.0);
            assertThat(a.detail()).isEqualTo("all 8 chips of node p00-r01-n02 silent for 3.0 s (limit 3.0 s)");
            assertThat(a.fact(Fact.CHIPS)).hasValue(8.0);
        });
        tick(30, Set.of());
        tick(31, Set.of());
        assertThat(rig.harness().extractOutputValues()).hasSize(2);
        assertThat(rig.harness().extractOutputValues().get(1).state()).isEqualTo(AnomalyState.CLOSED);
    }

    @Test
    void chipsOfANodeStoppingASecondApartAreStillOneNodeAnomaly() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        tick(10, Set.of(0, 1, 2, 3));
        for (int s = 11; s < 20; s++) {
            tick(s, Set.of(0, 1, 2, 3, 4, 5, 6, 7));
        }
        assertThat(rig.harness().extractOutputValues()).singleElement()
                .satisfies(a -> assertThat(a.type()).isEqualTo(AnomalyType.NODE_DOWN));
    }

    @Test
    void samplesThatArriveLateStillCountAsSignsOfLife() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        // Chip 6's samples of 10 and 11 come after their ticks were evaluated (a slow exporter), 12 comes on time
        // with 13.
        tick(10, Set.of(6));
        tick(11, Set.of(6));
        tick(12, Set.of(6));
        // Ticks 10 and 11 are evaluated (watermark 11 s) when they come, before the check at 12 s.
        rig.harness().processElement(reading(10_000, 1, 2, 6, "train-1", 90, 380, 75, 0), 12_500);
        rig.harness().processElement(reading(11_000, 1, 2, 6, "train-1", 90, 380, 75, 0), 12_600);
        tick(13, Set.of());
        for (int s = 14; s < 20; s++) {
            tick(s, Set.of());
        }
        assertThat(rig.harness().extractOutputValues()).as("last sign of life at 11 s: never 3 s silent").isEmpty();
    }

    @Test
    void aChipThatComesBackASampleAfterItsNodeIsNotCalledDown() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        Set<Integer> all = Set.of(0, 1, 2, 3, 4, 5, 6, 7);
        for (int s = 10; s < 25; s++) {
            tick(s, all);
        }
        // The node is back at 25 s; chip 4's first sample after the outage is lost, its next ones come.
        tick(25, Set.of(4));
        for (int s = 26; s < 35; s++) {
            tick(s, Set.of());
        }
        assertThat(rig.harness().extractOutputValues()).extracting(Anomaly::type, Anomaly::state)
                .containsExactly(Tuple.tuple(AnomalyType.NODE_DOWN, AnomalyState.OPEN),
                        Tuple.tuple(AnomalyType.NODE_DOWN, AnomalyState.CLOSED));
    }

    @Test
    void aChipThatDoesNotComeBackWithItsNodeIsDownFromWhenTheNodeCameBack() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        Set<Integer> all = Set.of(0, 1, 2, 3, 4, 5, 6, 7);
        for (int s = 10; s < 25; s++) {
            tick(s, all);
        }
        for (int s = 25; s < 35; s++) {
            tick(s, Set.of(4));
        }
        assertThat(rig.harness().extractOutputValues()).hasSize(3).last().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.CHIP_DOWN);
            assertThat(a.entity()).isEqualTo(chip(1, 2, 4));
            assertThat(a.startMillis()).isEqualTo(25_000L);
            assertThat(a.eventMillis()).isEqualTo(27_000L);
        });
    }

    @Test
    void oneMissingSampleRaisesNothing() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        tick(10, Set.of(5));
        tick(11, Set.of(2));
        tick(12, Set.of(5));
        for (int s = 13; s < 20; s++) {
            tick(s, Set.of());
        }
        assertThat(rig.harness().extractOutputValues()).isEmpty();
    }

    @Test
    void silenceIsJudgedOnTheChipsOwnSamplingInterval() throws Exception {
        // 10 Hz: three missed samples are 300 ms, the floor too; the chip is called 300 ms after its last sample.
        for (int t = 0; t < 100; t++) {
            tickAt(t * 100L, t >= 50 ? Set.of(4) : Set.of(), 100);
        }
        assertThat(rig.harness().extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.CHIP_DOWN);
            assertThat(a.startMillis()).isEqualTo(5_000L);
            assertThat(a.eventMillis()).isEqualTo(5_200L);
            assertThat(a.fact(Fact.SILENCE_LIMIT_S)).hasValue(0.3);
        });
    }

    @Test
    void chipsOfTheNodeReadAheadOfTheOthersDoNotHideTheOutage() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        // Chips 0-2 sit in a partition read far ahead: their samples up to 40 s (the node is down 10-30 s)
        // arrive before the others' and before the watermark.
        for (int s = 30; s < 41; s++) {
            for (int c = 0; c < 3; c++) {
                rig.harness().processElement(reading(s * 1000L, 1, 2, c, "train-1", 90, 380, 75, 0), s * 1000L);
            }
        }
        for (int s = 10; s < 41; s++) {
            long ts = s * 1000L;
            if (s >= 30) {
                for (int c = 3; c < 8; c++) {
                    rig.harness().processElement(reading(ts, 1, 2, c, "train-1", 90, 380, 75, 0), ts);
                }
            }
            rig.harness().processWatermark(ts - 1000);
        }
        assertThat(rig.harness().extractOutputValues()).extracting(Anomaly::type, Anomaly::state)
                .containsExactly(Tuple.tuple(AnomalyType.NODE_DOWN, AnomalyState.OPEN),
                        Tuple.tuple(AnomalyType.NODE_DOWN, AnomalyState.CLOSED));
    }

    @Test
    void theEndOfABoundedInputIsNotSilence() throws Exception {
        for (int s = 0; s < 10; s++) {
            tick(s, Set.of());
        }
        rig.harness().processWatermark(Long.MAX_VALUE);
        assertThat(rig.harness().extractOutputValues()).isEmpty();
    }

    /**
     * One tick of the node's chips with their intra-node links as the simulator reports them: each measures a link to
     * every other chip of the node that is alive, {@code dark} ones' links are dark; {@code late} ones are alive but
     * their samples do not come.
     */
    private void meshTick(int s, Set<Integer> dark, Set<Integer> late) throws Exception {
        long ts = s * 1000L;
        for (int c = 0; c < 8; c++) {
            if (!dark.contains(c) && !late.contains(c)) {
                ChipReading r = reading(ts, 1, 2, c, "train-1", 90, 380, 75, 0);
                rig.harness().processElement(new ChipReading(r.timestampMillis(), r.chip(), r.node(), r.rack(), r.pod(),
                        r.job(), r.util(), r.powerW(), r.tempC(), r.excessC(), false, true, 7 - dark.size()), ts);
            }
        }
        rig.harness().processWatermark(ts - 1000);
    }

    /** Three samples in a row late is no chip_down while the node peers still measure their links to it. */
    @Test
    void aChipWhoseNodePeersStillMeasureItsLinksIsAliveItsSamplesLate() throws Exception {
        for (int s = 0; s < 10; s++) {
            meshTick(s, Set.of(), Set.of());
        }
        for (int s = 10; s < 14; s++) {
            meshTick(s, Set.of(), Set.of(5));
        }
        assertThat(rig.harness().extractOutputValues()).as("3 s silent, links alive").isEmpty();
        meshTick(14, Set.of(), Set.of());
        for (int s = 15; s < 30; s++) {
            meshTick(s, Set.of(), Set.of());
        }
        assertThat(rig.harness().extractOutputValues()).isEmpty();
    }

    /** A chip that stops leaves its links dark: down at the usual time (the tick of its third missing sample). */
    @Test
    void aChipWhoseLinksWentDarkIsDownAtOnce() throws Exception {
        for (int s = 0; s < 10; s++) {
            meshTick(s, Set.of(), Set.of());
        }
        for (int s = 10; s < 20; s++) {
            meshTick(s, Set.of(5), Set.of());
        }
        assertThat(rig.harness().extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.CHIP_DOWN);
            assertThat(a.entity()).isEqualTo(chip(1, 2, 5));
            assertThat(a.eventMillis()).isEqualTo(12_000L);
            assertThat(a.detail()).doesNotContain("may be up");
        });
    }

    /**
     * A chip silent while its links stay alive (its exporter stopped) is called down {@code linkWitnessMs} after
     * its silence limit, saying that its telemetry stopped.
     */
    @Test
    void aChipSilentWithItsLinksAliveIsDownOnceTheWitnessGraceHasPassed() throws Exception {
        assertThat(CONFIG.linkWitnessMs()).isEqualTo(5_000L);
        for (int s = 0; s < 10; s++) {
            meshTick(s, Set.of(), Set.of());
        }
        for (int s = 10; s < 25; s++) {
            meshTick(s, Set.of(), Set.of(5));
        }
        assertThat(rig.harness().extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.CHIP_DOWN);
            assertThat(a.startMillis()).isEqualTo(10_000L);
            // Last sample at 9 s: limit 3 s, then 5 s more.
            assertThat(a.eventMillis()).isEqualTo(17_000L);
            assertThat(a.detail()).contains("its node peers still measure their links to it: its telemetry stopped, "
                    + "the chip may be up");
        });
    }
}
