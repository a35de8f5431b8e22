package io.chipwatch.collector.sim;

/**
 * A synchronous training job: every step is a compute phase followed by a communication phase (the gradient
 * all-reduce) in which utilisation dips and link latency rises. Steps are counted from the job's start, so the
 * job's chips are all in the same phase at the same instant.
 *
 * @param stepMillis        length of one step
 * @param commMillis        length of the communication phase at the end of each step
 * @param computeUtil       mean utilisation in the compute phase, percent
 * @param commUtil          mean utilisation in the communication phase, percent
 * @param intraCommFactor   intra-node link latency multiplier while communicating
 * @param fabricCommFactor  fabric link latency multiplier while communicating
 */
public record TrainingProfile(long stepMillis, long commMillis, double computeUtil, double commUtil,
                              double intraCommFactor, double fabricCommFactor) implements JobProfile {

    /** Latency multiplier from the light background traffic of the compute phase (data loading, metrics). */
    static final double COMPUTE_LINK_FACTOR = 1.03;

    public TrainingProfile {
        if (stepMillis < 1 || commMillis < 0 || commMillis >= stepMillis) {
            throw new IllegalArgumentException("need 0 <= commMillis < stepMillis, got " + commMillis + " / " + stepMillis);
        }
    }

    /** Whether the job is in its communication phase {@code elapsedMillis} after it started. */
    public boolean communicating(long elapsedMillis) {
        return Math.floorMod(elapsedMillis, stepMillis) >= stepMillis - commMillis;
    }

    @Override
    public void demandAt(long elapsedMillis, Demand out) {
        if (communicating(elapsedMillis)) {
            // Collectives keep the chips partly busy; the spread is wider because overlap varies per chip.
            out.set(commUtil, 3.0, intraCommFactor, fabricCommFactor);
        } else {
            out.set(computeUtil, 1.2, COMPUTE_LINK_FACTOR, COMPUTE_LINK_FACTOR);
        }
    }
}
