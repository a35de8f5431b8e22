package io.chipwatch.collector.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FaultEffectsTest {
    private final FaultEffects effects = new FaultEffects(16, 2, 4, 8);

    @Test
    void untouchedChipsRacksAndLinksAreUnaffected() {
        new Fault.Straggler(0.3).applyTo(3, effects);
        assertThat(effects.affects(3)).isTrue();
        assertThat(effects.affects(4)).isFalse();
        assertThat(effects.inletOffsetC(0)).isZero();
        assertThat(effects.anyLinkFault()).isFalse();
        assertThat(effects.utilisation(4, 70, 1.0, 0, 90, 400, 400)).isEqualTo(70.0);
        assertThat(effects.temperature(4, 65.5, 65.0, 0.1, 1000)).isEqualTo(65.5);
    }

    @Test
    void stragglerShowsOnlyWhileComputingAndBeforeTheCap() {
        new Fault.Straggler(0.5).applyTo(1, effects);
        new Fault.PowerThrottle(0.6).applyTo(1, effects);
        assertThat(effects.utilisation(1, 80, 1.0, 0, 90, 400, 400)).isEqualTo(40.0);
        double capUtil = 100.0 * (240 - 90) / 310.0;
        assertThat(effects.utilisation(1, 80, 0.0, 0, 90, 400, 400)).isEqualTo(capUtil);
        // A window that computed for 60 % of its length: 60 % of the drop 80 -> 56, then the cap.
        assertThat(effects.utilisation(1, 80, 0.6, 0, 90, 400, 400)).isEqualTo(capUtil);
        new Fault.Straggler(0.5).applyTo(2, effects);
        assertThat(effects.utilisation(2, 80, 0.6, 0, 90, 400, 400)).isCloseTo(56.0, within(1e-9));
    }

    @Test
    void theFaultStartedLastWinsOnOneChip() {
        new Fault.SensorGlitch(150).applyTo(5, effects);
        new Fault.SensorGlitch(170).applyTo(5, effects);
        assertThat(effects.temperature(5, 60, 60, 0.1, 1000)).isEqualTo(170.0);
    }

    @Test
    void outagesCountSoANodeStaysDownUntilEveryOutageEnded() {
        new Fault.NodeDown().applyTo(1, effects);
        new Fault.ChipDown().applyTo(9, effects);
        for (int c = 8; c < 16; c++) {
            assertThat(effects.silent(c)).isTrue();
        }
        assertThat(effects.silent(7)).isFalse();
        effects.reset();
        new Fault.ChipDown().applyTo(9, effects);
        assertThat(effects.silent(8)).isFalse();
        assertThat(effects.silent(9)).isTrue();
    }

    @Test
    void overheatExcessOutlivesTheFaultAndDecays() {
        new Fault.Overheat(2.0, 105).applyTo(0, effects);
        assertThat(effects.temperature(0, 70, 70, 0.1, 1000)).isEqualTo(72.0);
        assertThat(effects.temperature(0, 70, 70, 0.1, 1000)).isEqualTo(74.0);
        effects.reset();
        assertThat(effects.affects(0)).isTrue();
        assertThat(effects.temperature(0, 70, 70, 0.5, 1000)).isEqualTo(72.0);
    }

    @Test
    void stuckSensorFreezesAtItsFirstReadingAndAgainAtANewOnset() {
        Fault.StuckSensor stuck = new Fault.StuckSensor();
        stuck.onset(2, effects);
        stuck.applyTo(2, effects);
        assertThat(effects.temperature(2, 61.0004, 61, 0.1, 1000)).isEqualTo(61.0);
        assertThat(effects.temperature(2, 75, 75, 0.1, 1000)).isEqualTo(61.0);
        stuck.onset(2, effects);
        assertThat(effects.temperature(2, 75, 75, 0.1, 1000)).isEqualTo(75.0);
    }

    @Test
    void rackCoolingAndLinkDegradedUntilReset() {
        new Fault.RackCooling(15).applyTo(1, effects);
        new Fault.LinkDegraded(20).applyTo(3, effects);
        assertThat(effects.inletOffsetC(1)).isEqualTo(15.0);
        assertThat(effects.anyLinkFault()).isTrue();
        assertThat(effects.latency(3, 2.0)).isEqualTo(40.0);
        assertThat(effects.latency(2, 2.0)).isEqualTo(2.0);
        effects.reset();
        assertThat(effects.inletOffsetC(1)).isZero();
        assertThat(effects.anyLinkFault()).isFalse();
        assertThat(effects.latency(3, 2.0)).isEqualTo(2.0);
    }
}
