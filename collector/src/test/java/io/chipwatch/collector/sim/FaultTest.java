package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FaultTest {

    @Test
    void everyTypeDrawsItsOwnKindWithParametersInTheCatalogueRanges() {
        Noise noise = new Noise();
        for (int seq = 1; seq <= 50; seq++) {
            for (FaultType type : FaultType.values()) {
                Fault f = Fault.draw(type, noise.reset(7, -5, seq));
                assertThat(f.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase())
                        .isEqualTo(type.name());
                if (f instanceof Fault.Overheat o) {
                    assertThat(o.ratePerS()).isBetween(0.5, 2.0);
                    assertThat(o.ceilingC()).isBetween(100.0, 110.0);
                } else if (f instanceof Fault.RackCooling r) {
                    assertThat(r.inletOffsetC()).isBetween(11.0, 19.0);
                } else if (f instanceof Fault.PowerThrottle t) {
                    assertThat(t.capFraction()).isBetween(0.57, 0.63);
                } else if (f instanceof Fault.LinkDegraded d) {
                    assertThat(d.latencyFactor()).isBetween(5.0, 50.0);
                } else if (f instanceof Fault.LinkFlap l) {
                    assertThat(l.cycleMillis()).isBetween(8_000L, 20_000L);
                    assertThat(l.burstMillis()).isBetween(2_000L, 5_000L);
                } else if (f instanceof Fault.Straggler s) {
                    assertThat(s.utilDrop()).isBetween(0.20, 0.40);
                } else if (f instanceof Fault.SensorGlitch g) {
                    assertThat(g.readingC()).isBetween(150.0, 180.0);
                    assertThat(g.readingC() * 10).isCloseTo(Math.rint(g.readingC() * 10), within(1e-9));
                }
                assertThat(f.oneSample()).isEqualTo(type == FaultType.SENSOR_GLITCH);
            }
        }
    }

    @Test
    void drawsAreTheSeedsInOrder() {
        Noise noise = new Noise().reset(3, -5, 1);
        double rate = noise.uniform(0.5, 2.0);
        double ceiling = noise.uniform(100, 110);
        assertThat(Fault.draw(FaultType.OVERHEAT, new Noise().reset(3, -5, 1)))
                .isEqualTo(new Fault.Overheat(rate, ceiling));
    }

    @Test
    void detailsNameTheParameters() {
        assertThat(new Fault.Overheat(1.234, 104.56).detail()).isEqualTo("+1.23 C/s up to 104.6 C");
        assertThat(new Fault.RackCooling(14.62).detail()).isEqualTo("inlet +14.6 C");
        assertThat(new Fault.PowerThrottle(0.604).detail()).isEqualTo("power cap 60% of max");
        assertThat(new Fault.LinkDegraded(9.04).detail()).isEqualTo("latency x9.0");
        assertThat(new Fault.LinkFlap(9_200, 3_100).detail()).isEqualTo("bursts of 3.1 s every 9.2 s");
        assertThat(new Fault.Straggler(0.23).detail()).isEqualTo("utilisation -23%");
        assertThat(new Fault.ChipDown().detail()).isEqualTo("silent");
        assertThat(new Fault.NodeDown().detail()).isEqualTo("silent");
        assertThat(new Fault.StuckSensor().detail()).isEqualTo("temperature frozen");
        assertThat(new Fault.SensorGlitch(154.1).detail()).isEqualTo("one sample of 154.1 C");
    }

    @Test
    void overheatClimbsAtItsRateUpToItsCeilingAndDecaysAfter() {
        Fault.Overheat o = new Fault.Overheat(1.5, 105);
        assertThat(o.excess(0, 80, 2_000)).isEqualTo(3.0);
        assertThat(o.excess(10, 100, 1_000)).isEqualTo(5.0);
        assertThat(o.excess(10, 110, 1_000)).isEqualTo(0.0);
        assertThat(Fault.Overheat.cooled(4.0, 0.25)).isEqualTo(3.0);
        assertThat(Fault.Overheat.cooled(0.011, 0.5)).isEqualTo(0.0);
    }

    @Test
    void powerThrottleCapsUtilisationToWhatTheCappedPowerAllows() {
        Fault.PowerThrottle t = new Fault.PowerThrottle(0.6);
        // 0.6 * 400 W = 240 W: (240 - 90) / (400 - 90) = 48.39 % of the range.
        double capUtil = 100.0 * (240 - 90) / 310.0;
        assertThat(t.utilisation(90, 0, 90, 400, 400)).isCloseTo(capUtil, within(1e-9));
        assertThat(t.utilisation(90, -3.1, 90, 400, 400)).isCloseTo(capUtil - 1.0, within(1e-9));
        assertThat(t.utilisation(30, 1.0, 90, 400, 400)).isEqualTo(30.0);
    }

    @Test
    void powerThrottleInAMemoryBoundPhaseCapsWhereThatPhasesPowerReachesTheCap() {
        Fault.PowerThrottle t = new Fault.PowerThrottle(0.6);
        // Memory-bound at 60 % of the power per point: 100 % reads 90 + 0.6 * 310 = 276 W, over the 240 W cap:
        // the cap holds at (240 - 90) / (276 - 90) = 80.65 %.
        assertThat(t.utilisation(98, 0, 90, 400, 276)).isCloseTo(100.0 * 150 / 186, within(1e-9));
        // Communicating at 40 %: 90 + 0.4 * 186 = 164 W, under the cap: untouched.
        assertThat(t.utilisation(40, 0, 90, 400, 276)).isEqualTo(40.0);
    }

    @Test
    void stragglerAndLinkDegradedScale() {
        assertThat(new Fault.Straggler(0.25).utilisation(80)).isEqualTo(60.0);
        assertThat(new Fault.LinkDegraded(10).latency(2.0)).isEqualTo(20.0);
    }

    @Test
    void stuckSensorFreezesTheFirstReadingRounded() {
        assertThat(Fault.StuckSensor.reading(Double.NaN, 71.23456)).isEqualTo(71.235);
        assertThat(Fault.StuckSensor.reading(71.235, 90.0)).isEqualTo(71.235);
    }

    @Test
    void linkFlapBurstsAtTheStartOfEachCycle() {
        FaultEffects effects = new FaultEffects(8, 1, 4, 8);
        Fault.LinkFlap flap = new Fault.LinkFlap(10_000, 3_000);
        flap.applyTo(2, effects);
        long[] asked = {-1};
        Fault.BurstNoise noise = key -> {
            asked[0] = key;
            return new Noise().reset(1, -7, key);
        };
        boolean sawMissing = false;
        boolean sawHuge = false;
        for (long burst = 0; burst < 40; burst++) {
            flap.tick(2, burst * 10_000 + 2_999, noise, effects);
            assertThat(asked[0]).isEqualTo(burst);
            double latency = effects.latency(2, 2.0);
            if (effects.linkMissing(2)) {
                sawMissing = true;
            } else {
                sawHuge = true;
                assertThat(latency).isBetween(100.0, 1000.0);
            }
            flap.tick(2, burst * 10_000 + 3_000, noise, effects);
            assertThat(effects.linkMissing(2)).isFalse();
            assertThat(effects.latency(2, 2.0)).isEqualTo(2.0);
        }
        assertThat(sawMissing).isTrue();
        assertThat(sawHuge).isTrue();
    }
}
