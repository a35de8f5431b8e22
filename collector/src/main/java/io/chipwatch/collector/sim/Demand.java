package io.chipwatch.collector.sim;

/**
 * What the workload asks of a node's chips at one instant: the mean and spread of their utilisation and how
 * loaded their links are. A mutable holder (filled by {@link JobProfile#demandAt}) so that the per-tick
 * workload pass allocates nothing.
 */
public final class Demand {
    private double utilMean;
    private double utilSigma;
    private double intraFactor;
    private double fabricFactor;

    /** Mean utilisation in percent. */
    public double utilMean() {
        return utilMean;
    }

    /** Standard deviation of per-chip, per-sample utilisation noise, in percentage points. */
    public double utilSigma() {
        return utilSigma;
    }

    /** Multiplier on the nominal latency of intra-node links. */
    public double intraFactor() {
        return intraFactor;
    }

    /** Multiplier on the nominal latency of the scale-out fabric link. */
    public double fabricFactor() {
        return fabricFactor;
    }

    Demand set(double utilMean, double utilSigma, double intraFactor, double fabricFactor) {
        this.utilMean = utilMean;
        this.utilSigma = utilSigma;
        this.intraFactor = intraFactor;
        this.fabricFactor = fabricFactor;
        return this;
    }

    /** An idle node: chips near 0 %, links at their nominal latency. */
    Demand idle() {
        return set(1.5, 0.35, 1.0, 1.0);
    }
}
