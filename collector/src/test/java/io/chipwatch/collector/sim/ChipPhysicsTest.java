package io.chipwatch.collector.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChipPhysicsTest {

    @Test
    void powerIsIdleAtZeroAndMaxAtFullLoad() {
        assertThat(ChipPhysics.power(90, 400, 0)).isEqualTo(90);
        assertThat(ChipPhysics.power(90, 400, 100)).isEqualTo(400);
        assertThat(ChipPhysics.power(90, 400, 50)).isEqualTo(245);
    }

    @Test
    void fullLoadSettlesBetween70And85Degrees() {
        for (double inlet : new double[] {ChipPhysics.INLET_C_MIN, ChipPhysics.INLET_C_MAX}) {
            for (double r : new double[] {ChipPhysics.THERMAL_RESISTANCE_MIN, ChipPhysics.THERMAL_RESISTANCE_MAX}) {
                double steady = ChipPhysics.steadyTemperature(inlet, r, ChipPhysics.MAX_W_MAX);
                assertThat(steady).isBetween(70.0, 85.0);
            }
        }
    }

    @Test
    void temperatureFollowsAStepWithTheTimeConstant() {
        double tau = 30;
        double alpha = ChipPhysics.lagAlpha(1000, tau);
        double temp = 40;
        double steady = 80;
        for (int s = 0; s < 30; s++) {
            temp = ChipPhysics.temperatureStep(temp, steady, alpha);
        }
        // After one time constant a first-order lag has covered 1 - 1/e of the step.
        assertThat(temp).isCloseTo(40 + 40 * (1 - Math.exp(-1)), within(1e-9));
        // One 30 s step lands on the same value as thirty 1 s steps.
        assertThat(ChipPhysics.temperatureStep(40, steady, ChipPhysics.lagAlpha(30_000, tau)))
                .isCloseTo(temp, within(1e-9));
    }

    @Test
    void inletDriftsSlowlyOverTheDay() {
        double a = ChipPhysics.inlet(27, 0, 0);
        double b = ChipPhysics.inlet(27, 1000, 0);
        double quarterDay = ChipPhysics.inlet(27, 21_600_000L, 0);
        assertThat(Math.abs(b - a)).isLessThan(0.001);
        assertThat(quarterDay).isCloseTo(27 + ChipPhysics.INLET_DAILY_SWING_C, within(1e-9));
    }

    @Test
    void roundsToThreeDecimals() {
        assertThat(ChipPhysics.round3(1.23456)).isEqualTo(1.235);
        assertThat(ChipPhysics.round3(399.9999)).isEqualTo(400.0);
        assertThat(ChipPhysics.clamp(101, 0, 100)).isEqualTo(100);
        assertThat(ChipPhysics.clamp(-1, 0, 100)).isEqualTo(0);
    }
}
