package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;
import io.chipwatch.jobs.testing.KeyedHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

import static io.chipwatch.jobs.detect.Readings.chip;
import static io.chipwatch.jobs.detect.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

class StuckSensorDetectorTest {
    @RegisterExtension
    final KeyedHarness<ChipReading, Anomaly> rig =
            KeyedHarness.of(() -> new StuckSensorDetector(DetectionConfig.defaults()), ChipReading::node);

    private void send(int s, double temp, double power) throws Exception {
        send(s, temp, power, 0);
    }

    /** A reading {@code excess} above what the chip's model expects (expected = temp - excess). */
    private void send(int s, double temp, double power, double excess) throws Exception {
        send(1, "train-1", s, temp, power, excess);
    }

    /** The latest second sent. */
    private int last;

    /** A reading of chip {@code c} of node p00-r00-n00. */
    private void send(int c, String job, int s, double temp, double power, double excess) throws Exception {
        rig.harness().processElement(reading(s * 1000L, 0, 0, c, job, 90, power, temp, excess), s * 1000L);
        last = Math.max(last, s);
    }

    /** What the detector raised on the readings of every second sent so far (the watermark passes the latest). */
    private List<Anomaly> outputs() throws Exception {
        rig.harness().processWatermark(last * 1000L);
        return rig.harness().extractOutputValues();
    }

    /**
     * A training node as the simulator's whole-degree readings show it: every chip's die swings with the job's
     * 5 s steps (0.45 °C) and a slower rhythm (0.35 °C over a minute), so the model's expected temperature spans
     * 1.55 °C; peers 2 and 3 sit near a rounding boundary and flicker (a change in 1 sample of 3), chip 1 reads
     * {@code chip1} (its sensor frozen, or live in the middle of a degree).
     */
    private void steadyNode(int seconds, String peerJob, IntToDoubleFunction chip1)
            throws Exception {
        steadyNode(seconds, s -> "train-1", s -> peerJob, chip1);
    }

    /** {@link #steadyNode(int, String, IntToDoubleFunction)} with the chip's and its peers' job per second (null: idle). */
    private void steadyNode(int seconds, IntFunction<String> chipJob, IntFunction<String> peerJob,
                            IntToDoubleFunction chip1) throws Exception {
        for (int s = 0; s < seconds; s++) {
            double swing = 0.45 * Math.sin(2 * Math.PI * s / 5) + 0.35 * Math.sin(2 * Math.PI * s / 60);
            double expected = 65.0 + swing;
            double power = 330 + swing / 0.1275;
            send(1, chipJob.apply(s), s, chip1.applyAsDouble(s), power, chip1.applyAsDouble(s) - expected);
            for (int c = 2; c <= 3; c++) {
                double peer = Math.rint(66.0 + swing + 0.05 * c);
                send(c, peerJob.apply(s), s, peer, power, peer - 1.5 - expected);
            }
        }
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

        assertThat(outputs()).hasSize(2);
        Anomaly open = outputs().get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.STUCK_SENSOR);
        assertThat(open.severity()).isEqualTo(Severity.WARNING);
        assertThat(open.entity()).isEqualTo(chip(0, 0, 1));
        // Decided once the model moved 3 °C (second 16): that is when the evidence is complete.
        assertThat(open.startMillis()).isEqualTo(16_000L);
        assertThat(open.eventMillis()).isEqualTo(16_000L);
        assertThat(open.value()).isEqualTo(75.0);
        Anomaly closed = outputs().get(1);
        assertThat(closed.state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(closed.endMillis()).isEqualTo(20_000L);
    }

    @Test
    void aLiveDieThatLagsItsModelAfterAPowerStepIsNotFrozen() throws Exception {
        // Churn (issue #21): a 62 W power step moves the model 1 °C a second while the live die, lagging it, holds
        // 60 for 5 whole-degree readings (seconds 10-14; the model moves 4 °C over them), then follows: 4 repeats
        // with the model 3 °C on fired the model rule. Whole-degree sources repeat as long as the die stays in one
        // degree; the model rule waits for modelMinRepeats (6).
        for (int s = 0; s < 10; s++) {
            double temp = s % 2 == 0 ? 60.0 : 59.0;
            send(s, temp, 300 + (s % 3), temp - 59.5);
        }
        for (int s = 10; s < 22; s++) {
            double expected = Math.min(66.0, 60.0 + (s - 10));
            double temp = s < 15 ? 60.0 : Math.min(66.0, 60.0 + (s - 14));
            send(s, temp, 362 + (s % 3), temp - expected);
        }
        // Then the sensor freezes at 67 while the next step moves the model 1 °C a second from 66: the 6th identical
        // reading (second 27) with the model 5 °C on is a blind sensor, 5 were not.
        for (int s = 22; s < 34; s++) {
            double expected = 66.0 + (s - 22);
            send(s, 67.0, 424 + (s % 3), 67.0 - expected);
        }

        List<Anomaly> out = outputs();
        assertThat(out).hasSize(1);
        Anomaly open = out.get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.STUCK_SENSOR);
        assertThat(open.startMillis()).isEqualTo(27_000L);
        assertThat(open.fact(Fact.REPEATS)).hasValue(6.0);
        assertThat(open.fact(Fact.REPEATS_LIMIT)).hasValue(6.0);
        assertThat(open.detail()).contains("model expected it to move 5.0 °C");
    }

    @Test
    void aWholeDegreeReadingThatRepeatsWhileTheModelBarelyMovesIsNotEvidence() throws Exception {
        // A live sensor reporting whole degrees on a chip whose expected temperature wanders within 2 °C.
        for (int s = 0; s < 60; s++) {
            double expected = 70.0 + Math.sin(s / 5.0);
            send(s, 70.0, 300 + 50 * Math.sin(s / 5.0), 70.0 - expected);
        }
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aFractionalReadingRepeatedWhilePowerMovesIsFrozen() throws Exception {
        // A source finer than whole degrees (0.1 °C noise on three decimals) never repeats a reading when live.
        for (int s = 0; s < 10; s++) {
            send(s, 70.0 + 0.137 * Math.sin(s), 300 + s % 3);
        }
        for (int s = 10; s < 14; s++) {
            send(s, 70.412, 300 + 2 * (s % 2));
        }
        assertThat(outputs()).hasSize(1);
        Anomaly open = outputs().get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.STUCK_SENSOR);
        assertThat(open.value()).isEqualTo(70.412);
        // The fourth identical reading (second 13) with the power moved 2 W completes the evidence.
        assertThat(open.startMillis()).isEqualTo(13_000L);
        assertThat(open.detail()).contains("fractions of a degree");
    }

    @Test
    void aWholeDegreeReadingFrozenOnASteadyChipWhosePeersFlickerIsFoundAfterTheWindow() throws Exception {
        // Chip 1 reads 65 from second 0 on; its model swings 1.2 °C and its peers change in ~1 sample of 4.
        steadyNode(130, "train-1", s -> 65.0);

        List<Anomaly> out = outputs();
        assertThat(out).hasSize(1);
        Anomaly open = out.get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.STUCK_SENSOR);
        assertThat(open.entity()).isEqualTo(chip(0, 0, 1));
        // The window is 120 s: the run of 65s began at second 0, so the verdict comes at second 120.
        assertThat(open.startMillis()).isEqualTo(120_000L);
        assertThat(open.detail()).contains("2 node peers");
        // 80 % of the 120 samples a chip sampled every second gives in 120 s.
        assertThat(open.fact(Fact.REPEATS_LIMIT)).hasValue(96.0);
        assertThat(open.fact(Fact.REPEATS)).hasValue(121.0);
        send(1, "train-1", 131, 66.0, 330, 0.0);
        assertThat(outputs().get(1).state()).isEqualTo(AnomalyState.CLOSED);
    }

    @Test
    void anIdleChipWhoseIdlePeersFlickerIsNotEvidence() throws Exception {
        // The same readings with no job on the node: an idle die has no job swings, its model's range is its power
        // noise (the long runs' false positives, StuckReplayTest), and its peers' flicker says nothing about it.
        steadyNode(300, s -> null, s -> null, s -> 65.0);
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aChipWhoseJobStartedWithinTheWindowIsJudgedOnceTheJobHasRunTheWindow() throws Exception {
        // The node idles until second 60, then runs train-1; chip 1 reads 65 throughout. Its run is 120 s old at
        // second 120, but its job only 60 s: the verdict waits for the job's own 120 s, second 180.
        steadyNode(200, s -> s < 60 ? null : "train-1", s -> s < 60 ? null : "train-1", s -> 65.0);

        List<Anomaly> out = outputs();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).entity()).isEqualTo(chip(0, 0, 1));
        assertThat(out.get(0).startMillis()).isEqualTo(180_000L);
    }

    @Test
    void peersOfAnotherJobSayNothingAboutTheChip() throws Exception {
        steadyNode(200, "train-2", s -> 65.0);
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aSteadyChipWhoseModelBarelyMovesIsNotEvidenceWhateverItsPeersDo() throws Exception {
        // Peers flicker, but the chip's own model moves 0.4 °C: a live sensor in the middle of a degree reads the same.
        for (int s = 0; s < 200; s++) {
            double expected = 65.0 + 0.2 * Math.sin(2 * Math.PI * s / 24);
            send(1, "train-1", s, 65.0, 330, 65.0 - expected);
            for (int c = 2; c <= 3; c++) {
                double peer = s % 4 == 0 ? 67.0 : 66.0;
                send(c, "train-1", s, peer, 330, 0.0);
            }
        }
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aSteadyChipWhoseModelDriftsButHardlySwingsIsNotEvidence() throws Exception {
        // The model climbs 1.8 °C over the window as it settles (its time constant, not the die's) but the job's
        // phases swing it only 0.35 °C within seconds; the peers flicker in 1 sample of 4. A live die that swings a
        // few tenths of a degree can sit inside one degree for minutes (StuckReplayTest has the real case).
        for (int s = 0; s < 200; s++) {
            double expected = 64.0 + 1.8 * Math.min(s, 150) / 150 + 0.175 * Math.sin(2 * Math.PI * s / 5);
            send(1, "train-1", s, 65.0, 330 + 30 * Math.sin(2 * Math.PI * s / 5), 65.0 - expected);
            for (int c = 2; c <= 3; c++) {
                double peer = s % 4 == c ? 67.0 : 66.0;
                send(c, "train-1", s, peer, 330, 0.0);
            }
        }
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aSteadyChipWhosePeersStandStillTooIsNotEvidence() throws Exception {
        // The job barely swings: peers change in 1 sample of 20, the chip not at all. Nothing says it is blind.
        for (int s = 0; s < 200; s++) {
            double expected = 65.0 + 0.6 * Math.sin(2 * Math.PI * s / 24);
            send(1, "train-1", s, 65.0, 330, 65.0 - expected);
            for (int c = 2; c <= 3; c++) {
                double peer = s % 20 == c ? 67.0 : 66.0;
                send(c, "train-1", s, peer, 330, 0.0);
            }
        }
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aReadingFarAboveItsModelIsHeatNotABlindSensor() throws Exception {
        // An overheating die held at its 105 °C ceiling while power moves: overheat's business, not stuck_sensor's.
        for (int s = 0; s < 30; s++) {
            double expected = 70.0 + 0.5 * s;
            send(s, 105.0, 300 + 5 * s, 105.0 - expected);
        }
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aConstantReadingWithConstantPowerIsNotEvidence() throws Exception {
        for (int s = 0; s < 30; s++) {
            send(s, 40.0, 90.0);
        }
        assertThat(outputs()).isEmpty();
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
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aRackWideInletChangeThatHoldsTheReadingsIsNotAFrozenSensor() throws Exception {
        // The end of a cooling fault meets a job's power step (cascades, rack p00-r07 at 1980 s): the model, which
        // follows power only, climbs 3.5 °C while the falling inlet holds every die of the node at its reading. Each
        // chip's excess falls by as much as its model climbs; corrected by the peers' common excess, nothing moved.
        for (int s = 0; s < 40; s++) {
            double expected = 62.0 + 3.5 * (1 - Math.exp(-s / 10.0));
            double power = 200 + 150 * (1 - Math.exp(-s / 10.0)) + (s % 2);
            for (int c = 1; c <= 3; c++) {
                double temp = 64.0 + c;
                send(c, "train-1", s, temp, power, temp - expected);
            }
        }
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aSensorFrozenInARackRunningHotIsStillBlind() throws Exception {
        // A cooling fault heats every chip of the node 15 °C beyond its model (the model ignores the inlet); chip 1's
        // sensor freezes at 85 while a checkpoint drops the node's power and the model by 0.5 °C a second from second
        // 10. The chip's own excess (15-20 °C) looks like heat; beside its peers' it is 0-5 °C, and blind.
        for (int s = 0; s < 30; s++) {
            double expected = s < 10 ? 70.0 : 70.0 - 0.5 * (s - 10);
            double power = s < 10 ? 350 + (s % 2) : 350 - 4 * (s - 10);
            send(1, "train-1", s, 85.0, power, 85.0 - expected);
            for (int c = 2; c <= 3; c++) {
                double temp = Math.rint(expected + 15 + 0.3 * c);
                send(c, "train-1", s, temp, power, temp - expected);
            }
        }
        List<Anomaly> out = outputs();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).entity()).isEqualTo(chip(0, 0, 1));
        // The model moved 3 °C at second 16 (70 -> 67); so did the expectation beside the peers.
        assertThat(out.get(0).startMillis()).isEqualTo(16_000L);
        assertThat(out.get(0).detail()).contains("with its node peers' common excess");
    }

    @Test
    void aChipBackFromASilenceWaitsForItsReanchoredModelToSettle() throws Exception {
        // Chip 1 is silent from second 10 to 60 inside a hot rack (its peers 15 °C above their models). Back, its
        // model re-anchors on the temperature as if it all came from power, then falls 15 °C towards the truth with
        // the 30 s lag while the die holds 80 (cascades, p00-r01-n05-c06 after its chip_down): not a frozen sensor.
        for (int s = 0; s < 160; s++) {
            double expected = s < 60 ? 65.0 : 65.0 + 15 * Math.exp(-(s - 60) / 30.0);
            if (s < 10 || s >= 60) {
                send(1, "train-1", s, 80.0 + (s < 10 ? s % 2 : 0), 300 + (s % 3), 80.0 - expected);
            }
            for (int c = 2; c <= 3; c++) {
                double temp = 80.0 + c + (s % 7 == c ? 1 : 0);
                send(c, "train-1", s, temp, 300 + (s % 3), temp - 65.0);
            }
        }
        assertThat(outputs()).isEmpty();
    }
}
