package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.detect.PeerDetector.ChipWindow;

import java.io.Serializable;
import java.util.Objects;

/**
 * The judgement of {@link PeerDetector} over a chip's last compute ticks: is it below its peers, for how long,
 * straggler or power cap, and has it recovered. Pure functions of a {@link ChipWindow} and the thresholds of
 * {@code peers}, {@code straggler} and {@code powerThrottle}.
 */
final class PeerVerdict implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the chip's recent compute ticks say. */
    enum Verdict {
        /** Not yet decidable: wait for more compute ticks. */
        UNDECIDED, STRAGGLER, THROTTLED
    }

    private final DetectionConfig.Peers peers;
    private final DetectionConfig.Straggler straggler;
    private final DetectionConfig.PowerThrottle throttle;

    PeerVerdict(DetectionConfig config) {
        Objects.requireNonNull(config, "config");
        this.peers = config.peers();
        this.straggler = config.straggler();
        this.throttle = config.powerThrottle();
    }

    /** The power a throttled chip stays under: {@code maxPowerFraction x tdpW}. */
    double capW() {
        return throttle.maxPowerFraction() * throttle.tdpW();
    }

    /**
     * The length of the shortest recent run of compute ticks (at least {@code minSamples}) over which the chip is
     * significantly and consistently below its peers; 0 when there is none.
     */
    int underperformingRun(ChipWindow w) {
        int available = Math.min(w.count, w.util.length);
        double sumU = 0;
        double sumM = 0;
        double sumS2 = 0;
        for (int n = 1; n <= available; n++) {
            int a = n - 1;
            double u = w.at(w.util, a);
            double m = w.at(w.peerUtil, a);
            if (m <= 0 || (m - u) / m < straggler.minDeficitFraction() / 2) {
                return 0;
            }
            sumU += u;
            sumM += m;
            sumS2 += w.at(w.peerSigma, a) * w.at(w.peerSigma, a);
            if (n >= peers.minSamples()) {
                double deficit = (sumM - sumU) / n;
                double stdErr = Math.sqrt(sumS2 / n) / Math.sqrt(n);
                if (deficit / (sumM / n) >= straggler.minDeficitFraction()
                        && deficit / stdErr >= straggler.minSignificance()) {
                    return n;
                }
            }
        }
        return 0;
    }

    /** How many of the latest compute ticks (at most the window) are all consistently below the peers. */
    int shortfallRun(ChipWindow w) {
        int available = Math.min(w.count, w.util.length);
        for (int a = 0; a < available; a++) {
            double m = w.at(w.peerUtil, a);
            if (m <= 0 || (m - w.at(w.util, a)) / m < straggler.minDeficitFraction() / 2) {
                return a;
            }
        }
        return available;
    }

    /**
     * Whether the chip's power keeps reading one value (within {@code ceilingToleranceW}, at least
     * {@code ceilingRepeats} times in the current shortfall) that is under the cap and at or above the window's median power:
     * a ceiling. Live power readings are continuous; a regulator holding a cap reads its limit again and again.
     */
    boolean atCeiling(ChipWindow w, int available, double cap) {
        double[] sorted = new double[available];
        for (int a = 0; a < available; a++) {
            sorted[a] = w.at(w.power, a);
        }
        double median = Stats.median(sorted, available);
        for (int i = 0; i < available; i++) {
            double v = sorted[i];
            if (v > cap || v < median) {
                continue;
            }
            int same = 0;
            for (int j = 0; j < available; j++) {
                if (Math.abs(sorted[j] - v) <= throttle.ceilingToleranceW()) {
                    same++;
                }
            }
            if (same >= throttle.ceilingRepeats()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Straggler or throttled, judged over the last {@code n} compute ticks (and the ceiling over the whole
     * window): a repeated power ceiling under the cap is a throttle; power above the cap is not; with busy peers a
     * shortfall to at most {@code maxUtilRatio} of them is a throttle. A straggler is called at once only when
     * every one of the {@code n} ticks reads at least {@code straggler.minUtilRatio} of the peers, their mean at
     * most {@code straggler.maxUtilRatio}, and the shortfall is either shallow (a mean of at least
     * {@code confirmBelowRatio}) or steady (the ticks' ratios within {@code maxRatioSpread}): a straggler runs a
     * fixed fraction (0.6-0.8) of its job in every tick, while a capped chip's 1 s readings mix compute held at the
     * cap (about half its peers') with memory-bound parts the cap barely slows (0.84-0.88 of its peers), so its
     * ratio swings from tick to tick and can average 0.62-0.69, inside the straggler range. Anything else (or peers
     * not busy enough to tell) waits for the ceiling evidence until the shortfall has lasted the whole window, then
     * is a straggler.
     */
    Verdict verdict(ChipWindow w, int n) {
        double cap = capW();
        int available = shortfallRun(w);
        if (atCeiling(w, available, cap)) {
            return Verdict.THROTTLED;
        }
        double sumU = 0;
        double sumM = 0;
        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        boolean underCap = true;
        for (int a = 0; a < n; a++) {
            double u = w.at(w.util, a);
            double m = w.at(w.peerUtil, a);
            sumU += u;
            sumM += m;
            lowest = Math.min(lowest, u / m);
            highest = Math.max(highest, u / m);
            underCap &= w.at(w.power, a) <= cap;
        }
        if (!underCap) {
            return Verdict.STRAGGLER;
        }
        double ratio = sumU / sumM;
        if (sumM / n >= throttle.busyPeerUtilPct()) {
            if (ratio <= throttle.maxUtilRatio()) {
                return Verdict.THROTTLED;
            }
            if (lowest >= straggler.minUtilRatio() && ratio <= straggler.maxUtilRatio()
                    && (ratio >= straggler.confirmBelowRatio() || highest - lowest <= straggler.maxRatioSpread())) {
                return Verdict.STRAGGLER;
            }
        }
        return available >= w.util.length ? Verdict.STRAGGLER : Verdict.UNDECIDED;
    }

    /**
     * Whether an open anomaly closes: at least {@code closeSamples} compute ticks seen and the mean deficit over
     * the last {@code closeSamples} of them below {@code closeDeficitFraction} of the peers' utilisation.
     */
    boolean recovered(ChipWindow w) {
        if (w.count < peers.closeSamples()) {
            return false;
        }
        double deficit = 0;
        double level = 0;
        for (int a = 0; a < peers.closeSamples(); a++) {
            deficit += w.at(w.peerUtil, a) - w.at(w.util, a);
            level += w.at(w.peerUtil, a);
        }
        return deficit / level < peers.closeDeficitFraction();
    }
}
