package io.chipwatch.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.jobs.detect.PeerDetector.ChipWindow;
import io.chipwatch.jobs.detect.PeerVerdict.Verdict;
import org.junit.jupiter.api.Test;

/**
 * {@link PeerVerdict#verdict} on hand-filled windows (readings of the long-mixed run, {@link PeerReplayTest}), with
 * the default thresholds: busy peers, power under the 280 W cap and no ceiling read twice.
 */
class PeerVerdictTest {
    private final PeerVerdict verdicts = new PeerVerdict(DetectionConfig.defaults());

    /** A window of the default size holding {@code ticks} of {util, peer util, power}, oldest first. */
    private static ChipWindow window(double[]... ticks) {
        int size = DetectionConfig.defaults().peers().windowSamples();
        ChipWindow w = new ChipWindow();
        w.util = new double[size];
        w.peerUtil = new double[size];
        w.peerSigma = new double[size];
        w.power = new double[size];
        for (double[] t : ticks) {
            int slot = w.count % size;
            w.util[slot] = t[0];
            w.peerUtil[slot] = t[1];
            w.peerSigma[slot] = 1.5;
            w.power[slot] = t[2];
            w.count++;
        }
        return w;
    }

    @Test
    void aShortfallWhoseRatioSwingsBetweenReadingsWaitsForTheCeiling() {
        // r03-n07-c03 at 1860 and 1862 s: 0.76 then 0.51 of its peers (0.635 on average), capped at 231.5 W.
        ChipWindow w = window(new double[]{69, 91, 231.479}, new double[]{46, 90, 227.827});
        assertThat(verdicts.verdict(w, 2)).isEqualTo(Verdict.UNDECIDED);
        // The next reading holds the same ceiling: a throttle.
        ChipWindow next = window(new double[]{69, 91, 231.479}, new double[]{46, 90, 227.827},
                new double[]{48, 90, 231.479});
        assertThat(verdicts.verdict(next, 3)).isEqualTo(Verdict.THROTTLED);
    }

    @Test
    void aSteadyShortfallIsAStragglerAtOnce() {
        // r02-n09-c04 at 600-601 s: 0.633 of its peers in both readings, its power following its utilisation.
        ChipWindow w = window(new double[]{62, 98, 184.28}, new double[]{62, 98, 182.998});
        assertThat(verdicts.verdict(w, 2)).isEqualTo(Verdict.STRAGGLER);
    }

    @Test
    void aShallowShortfallIsAStragglerAtOnceEvenIfItSwings() {
        // 0.68 then 0.85 of the peers: 0.765 on average, above confirmBelowRatio, and no reading below minUtilRatio.
        ChipWindow w = window(new double[]{61, 90, 270}, new double[]{80, 94, 275});
        assertThat(verdicts.verdict(w, 2)).isEqualTo(Verdict.STRAGGLER);
    }

    @Test
    void aShortfallShallowerThanAnyStragglerWaitsForTheCeiling() {
        // r04-n08-c06 of the cascades run at 1140-1141 s, capped in a memory-bound part: 0.86 then 0.84 of its peers.
        ChipWindow w = window(new double[]{84, 98, 228.853}, new double[]{83, 99, 229.711});
        assertThat(verdicts.verdict(w, 2)).isEqualTo(Verdict.UNDECIDED);
    }

    @Test
    void aSwingingShortfallWithoutACeilingIsAStragglerOnceItFillsTheWindow() {
        double[][] ticks = new double[DetectionConfig.defaults().peers().windowSamples()][];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = i % 2 == 0 ? new double[]{69, 91, 231.0 + i} : new double[]{46, 90, 221.0 + i};
        }
        assertThat(verdicts.verdict(window(ticks), 2)).isEqualTo(Verdict.STRAGGLER);
    }
}
