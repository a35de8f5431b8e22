package io.chipwatch.collector.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * A simulator that {@link ClusterSimulator#resume}s goes on from the snapshot's die temperatures, following each
 * die's thermal lag over the gap, instead of starting every die in equilibrium.
 */
class ThermalResumeTest {
    private static final long START = 1_700_000_000_000L;
    private static final SimulationConfig CONFIG = SimulationConfig.builder().chips(800).seed(7).startMillis(START)
            .imperfections(Imperfections.CLEAN).build();

    /** Die temperatures after the first tick of a fresh simulator: equilibrium with the first tick's load. */
    private static double[] freshFirstTick() {
        ClusterSimulator fresh = new ClusterSimulator(CONFIG);
        fresh.tick();
        return fresh.thermalSnapshot().tempC();
    }

    private static ThermalSnapshot uniform(long timestampMillis, double tempC) {
        double[] temps = new double[CONFIG.chips()];
        Arrays.fill(temps, tempC);
        return new ThermalSnapshot(timestampMillis, CONFIG.seed(), CONFIG.chips(), 0, CONFIG.chips(), temps);
    }

    @Test
    void oneIntervalAfterTheSnapshotEachDieHasMovedOneLagStepFromItTowardsItsEquilibrium() {
        double[] equilibrium = freshFirstTick();
        ClusterSimulator resumed = new ClusterSimulator(CONFIG);
        resumed.resume(uniform(START - 1000, 10.0));
        resumed.tick();
        double[] temps = resumed.thermalSnapshot().tempC();
        double lo = ChipPhysics.lagAlpha(1000, ChipPhysics.TAU_S_MAX);
        double hi = ChipPhysics.lagAlpha(1000, ChipPhysics.TAU_S_MIN);
        for (int c = 0; c < temps.length; c++) {
            assertThat(equilibrium[c]).as("chip %d in equilibrium", c).isGreaterThan(15.0);
            // T = 10 + alpha (equilibrium - 10), alpha = 1 - exp(-1 s / tau) of the die's own time constant.
            double alpha = (temps[c] - 10.0) / (equilibrium[c] - 10.0);
            assertThat(alpha).as("chip %d's step", c).isBetween(lo - 1e-9, hi + 1e-9);
        }
    }

    @Test
    void anHourAfterTheSnapshotTheDiesAreInEquilibriumAgain() {
        double[] equilibrium = freshFirstTick();
        ClusterSimulator resumed = new ClusterSimulator(CONFIG);
        resumed.resume(uniform(START - 3_600_000, 30.0));
        resumed.tick();
        double[] temps = resumed.thermalSnapshot().tempC();
        for (int c = 0; c < temps.length; c++) {
            assertThat(temps[c]).as("chip %d", c).isCloseTo(equilibrium[c], Offset.offset(1e-9));
        }
    }

    @Test
    void aSnapshotRoundTripsThroughTheSimulator() {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        for (int t = 0; t < 5; t++) {
            sim.tick();
        }
        ThermalSnapshot snapshot = sim.thermalSnapshot();
        assertThat(snapshot.timestampMillis()).isEqualTo(START + 4000);
        ClusterSimulator next = new ClusterSimulator(CONFIG.toBuilder().startMillis(START + 6000).build());
        next.resume(snapshot);
        assertThat(next.thermalSnapshot()).isEqualTo(snapshot);
    }

    @Test
    void aSnapshotOfAnotherClusterShardOrTheFutureIsRefusedNamingWhy() {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        ThermalSnapshot otherSeed = new ThermalSnapshot(START - 1000, 8, 800, 0, 800, new double[800]);
        assertThatThrownBy(() -> sim.resume(otherSeed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 8").hasMessageContaining("seed 7");
        ThermalSnapshot otherShard = new ThermalSnapshot(START - 1000, 7, 800, 0, 400, new double[400]);
        assertThatThrownBy(() -> sim.resume(otherShard)).hasMessageContaining("chips 0..400 of 800");
        assertThatThrownBy(() -> sim.resume(uniform(START, 30.0))).hasMessageContaining("not before the next tick");
        sim.tick();
        assertThatThrownBy(() -> sim.resume(uniform(START - 1000, 30.0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSnapshotHoldsOneFiniteTemperaturePerChipOfItsShard() {
        assertThatThrownBy(() -> new ThermalSnapshot(0, 1, 800, 0, 400, new double[399]))
                .hasMessageContaining("399 temperatures for a shard of 400");
        assertThatThrownBy(() -> new ThermalSnapshot(0, 1, 800, 0, 1, new double[] {Double.NaN}))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> new ThermalSnapshot(0, 1, 800, 500, 900, new double[400]))
                .hasMessageContaining("bad shard");
    }
}
