package io.chipwatch.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.sample.ChipSample;
import java.util.ArrayList;
import java.util.List;
import io.chipwatch.jobs.testing.KeyedHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ThermalFeaturesTest {
    private static final DetectionConfig.Thermal CONFIG = DetectionConfig.defaults().thermal();
    @RegisterExtension
    final KeyedHarness<ChipSample, ChipReading> rig = KeyedHarness.of(() -> new ThermalFeatures(CONFIG), ChipSample::chip);

    @Test
    void aHealthyChipHasNoExcessWhetherIdleOrRampingUpOrDown() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, null);
        chip.resistance = CONFIG.thermalResistanceCPerW();
        chip.util = 1.5;
        run(chip, 0, 120);
        chip.util = 92;
        chip.job = "train-1";
        List<ChipReading> ramp = run(chip, 120, 180);
        chip.util = 1.5;
        chip.job = null;
        List<ChipReading> stop = run(chip, 300, 180);

        assertThat(ramp).allSatisfy(r -> assertThat(r.excessC()).isCloseTo(0.0, within(0.2)));
        assertThat(stop).allSatisfy(r -> assertThat(r.excessC()).isCloseTo(0.0, within(0.2)));
        assertThat(ramp.get(ramp.size() - 1).tempC()).isGreaterThan(70);
    }

    @Test
    void aChipWithAnotherResistanceAndTimeConstantStaysWithinAFewDegrees() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, null);
        chip.resistance = 0.135;
        chip.tauS = 25;
        chip.util = 1.5;
        run(chip, 0, 300);
        chip.util = 96;
        List<ChipReading> ramp = run(chip, 300, 120);

        double maxExcess = ramp.stream().mapToDouble(ChipReading::excessC).max().orElseThrow();
        assertThat(maxExcess).isBetween(0.5, 6.0);
    }

    @Test
    void extraHeatShowsAsExcess() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, "train-1");
        chip.util = 92;
        run(chip, 0, 120);
        List<ChipReading> heating = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            chip.extraHeatC = i * 1.0;
            heating.addAll(run(chip, 120 + i - 1, 1));
        }
        assertThat(heating.get(9).excessC()).isCloseTo(10.0, within(0.3));
        assertThat(heating).noneMatch(ChipReading::suspect);
    }

    @Test
    void rejectsASingleAbsurdReadingAndKeepsTheModelClean() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, "train-1");
        chip.util = 92;
        run(chip, 0, 120);
        chip.step(120_000, 1000);
        rig.harness().processElement(chip.sample(120_000, 163.4), 120_000);
        List<ChipReading> after = run(chip, 121, 5);

        ChipReading glitch = rig.harness().extractOutputValues().get(120);
        assertThat(glitch.suspect()).isTrue();
        assertThat(glitch.tempC()).isLessThan(90);
        assertThat(glitch.excessC()).isCloseTo(0.0, within(0.5));
        assertThat(after).allSatisfy(r -> {
            assertThat(r.suspect()).isFalse();
            assertThat(r.excessC()).isCloseTo(0.0, within(0.5));
        });
    }

    @Test
    void acceptsAJumpThatTheNextReadingConfirms() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, "train-1");
        chip.util = 92;
        run(chip, 0, 120);
        chip.extraHeatC = 20;
        List<ChipReading> jumped = run(chip, 120, 2);

        assertThat(jumped.get(0).suspect()).isTrue();
        assertThat(jumped.get(1).suspect()).isFalse();
        assertThat(jumped.get(1).excessC()).isCloseTo(20.0, within(0.5));
    }

    @Test
    void aChipBackFromSilenceMidPhaseHasNoExcess() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, "train-1");
        chip.resistance = CONFIG.thermalResistanceCPerW();
        chip.util = 92;
        run(chip, 0, 120);
        for (int s = 120; s < 170; s++) {
            chip.step(s * 1000L, 1000);
        }
        // Back in a communication phase: the power dips, the die is still at its compute temperature.
        chip.util = 40;
        List<ChipReading> back = run(chip, 170, 3);
        assertThat(back).allSatisfy(r -> assertThat(r.excessC()).isCloseTo(0.0, within(0.5)));
    }

    /** Training steps of 9 s: 6 s compute at 92 %, 3 s communication at 40 %. */
    private List<ChipReading> steps(ChipSim chip, int fromSecond, int seconds, boolean feed) throws Exception {
        List<ChipReading> out = new ArrayList<>();
        for (int s = fromSecond; s < fromSecond + seconds; s++) {
            chip.util = s % 9 < 6 ? 92 : 40;
            if (feed) {
                out.addAll(run(chip, s, 1));
            } else {
                chip.step(s * 1000L, 1000);
            }
        }
        return out;
    }

    @Test
    void aChipFirstSeenMidPhaseAfterLongTrainingHasNoExcessOnceWarm() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, "train-1");
        chip.resistance = CONFIG.thermalResistanceCPerW();
        steps(chip, 0, 303, false);
        List<ChipReading> readings = steps(chip, 303, 200, true);
        assertThat(readings.get(0).util()).isEqualTo(40);
        assertThat(readings.subList(21, 200)).allSatisfy(r -> {
            assertThat(r.warm()).isTrue();
            assertThat(r.excessC()).isCloseTo(0.0, within(0.5));
        });
    }

    @Test
    void aChipStartingInEquilibriumWithItsFirstReadingHasNoExcessOnceWarm() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, "train-1");
        chip.resistance = CONFIG.thermalResistanceCPerW();
        // The collector's simulator starts every chip in equilibrium with its first tick, mid-phase or not.
        List<ChipReading> readings = steps(chip, 6, 200, true);
        assertThat(readings.subList(21, 200)).allSatisfy(r -> assertThat(r.excessC()).isCloseTo(0.0, within(0.5)));
    }

    @Test
    void aLateReadingIsASuspectWithWhatItReadAndAnAbsurdOneHeldAtTheLastAccepted() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, "train-1");
        chip.util = 92;
        run(chip, 0, 60);
        double lastAccepted = rig.harness().extractOutputValues().get(59).tempC();
        rig.harness().processElement(chip.sample(57_000, lastAccepted + 1), 57_000);
        rig.harness().processElement(chip.sample(58_000, 163.4), 58_000);

        List<ChipReading> all = rig.harness().extractOutputValues();
        ChipReading late = all.get(60);
        ChipReading absurd = all.get(61);
        assertThat(late.timestampMillis()).isEqualTo(57_000);
        assertThat(late.tempC()).isEqualTo(lastAccepted + 1);
        assertThat(late.suspect()).isTrue();
        assertThat(late.tempC() - late.excessC()).isCloseTo(all.get(59).tempC() - all.get(59).excessC(),
                within(1e-9));
        assertThat(absurd.suspect()).isTrue();
        assertThat(absurd.tempC()).isEqualTo(lastAccepted);
        List<ChipReading> after = run(chip, 60, 5);
        assertThat(after).allSatisfy(r -> assertThat(r.excessC()).isCloseTo(0.0, within(0.5)));
    }

    @Test
    void readingsAreColdUntilTheWarmupHasPassed() throws Exception {
        ChipSim chip = ChipSim.of(0, 0, 0, null);
        List<ChipReading> readings = run(chip, 0, 22);
        assertThat(readings.get(19).warm()).isFalse();
        assertThat(readings.get(20).warm()).isTrue();
    }

    /** Steps the chip {@code seconds} times from {@code fromSecond}, returns the readings these samples made. */
    private List<ChipReading> run(ChipSim chip, int fromSecond, int seconds) throws Exception {
        int before = rig.harness().extractOutputValues().size();
        for (int i = 0; i < seconds; i++) {
            long ts = (fromSecond + i) * 1000L;
            rig.harness().processElement(chip.step(ts, 1000), ts);
        }
        List<ChipReading> all = rig.harness().extractOutputValues();
        return all.subList(before, all.size());
    }
}
