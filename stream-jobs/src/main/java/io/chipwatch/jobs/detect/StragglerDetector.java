package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;

/**
 * straggler, keyed by node: a chip whose utilisation runs well below its job's peers in compute phases (a
 * synchronous job waits for its slowest chip). See {@link PeerDetector} for the comparison; this detector raises
 * the chips whose shortfall does not look like a power cap. Names the chip and, in its tags, the job.
 */
public class StragglerDetector extends PeerDetector {
    private static final long serialVersionUID = 1L;

    public StragglerDetector(DetectionConfig config) {
        super(config);
    }

    @Override
    protected AnomalyType type() {
        return AnomalyType.STRAGGLER;
    }

    @Override
    protected Verdict raisesOn() {
        return Verdict.STRAGGLER;
    }

    @Override
    protected Anomaly.Builder describe(Anomaly.Builder b, ChipReading r, ChipWindow w, int n) {
        double u = 0;
        double m = 0;
        for (int a = 0; a < n; a++) {
            u += w.at(w.util, a);
            m += w.at(w.peerUtil, a);
        }
        u /= n;
        m /= n;
        return b.value(u / m).threshold(1 - straggler.minDeficitFraction())
                .detail("utilisation " + Tags.f1(u) + " % against " + Tags.f1(m) + " % for its " + w.peerCount
                        + " peers of job " + r.job() + " (" + Tags.f1(100 * (u - m) / m) + " %) over " + n
                        + " compute samples");
    }
}
