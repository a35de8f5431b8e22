package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;

/**
 * power_throttle, keyed by node: a chip held under a power cap (around 60 % of TDP) while its job's peers are
 * busy, so its utilisation falls behind theirs. See {@link PeerDetector} for the comparison and what tells a cap
 * from a straggler: power that keeps reading the same ceiling, or a shortfall deeper than any straggler's with
 * the power under {@code maxPowerFraction x tdpW}.
 */
public class PowerThrottleDetector extends PeerDetector {
    private static final long serialVersionUID = 1L;

    public PowerThrottleDetector(DetectionConfig config) {
        super(config);
    }

    @Override
    protected AnomalyType type() {
        return AnomalyType.POWER_THROTTLE;
    }

    @Override
    protected Verdict raisesOn() {
        return Verdict.THROTTLED;
    }

    @Override
    protected Anomaly.Builder describe(Anomaly.Builder b, ChipReading r, ChipWindow w, int n) {
        double p = 0;
        double u = 0;
        double m = 0;
        for (int a = 0; a < n; a++) {
            p = Math.max(p, w.at(w.power, a));
            u += w.at(w.util, a);
            m += w.at(w.peerUtil, a);
        }
        u /= n;
        m /= n;
        double cap = throttle.maxPowerFraction() * throttle.tdpW();
        return b.value(p).threshold(cap)
                .detail("power capped at " + Tags.f1(p) + " W (" + Tags.f1(100 * p / throttle.tdpW()) + " % of "
                        + Tags.f1(throttle.tdpW()) + " W TDP), utilisation " + Tags.f1(u) + " % while its "
                        + w.peerCount + " peers of job " + r.job() + " run " + Tags.f1(m) + " %");
    }
}
