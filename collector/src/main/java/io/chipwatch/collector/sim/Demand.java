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
    private double powerFactor = 1.0;

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

    /**
     * Dynamic power per unit of utilisation, relative to a compute-bound kernel (1.0): a memory-bound phase keeps
     * the chip busy (high utilisation) while its arithmetic units idle, so it draws much less power.
     */
    public double powerFactor() {
        return powerFactor;
    }

    Demand set(double utilMean, double utilSigma, double intraFactor, double fabricFactor) {
        return set(utilMean, utilSigma, intraFactor, fabricFactor, 1.0);
    }

    Demand set(double utilMean, double utilSigma, double intraFactor, double fabricFactor, double powerFactor) {
        this.utilMean = utilMean;
        this.utilSigma = utilSigma;
        this.intraFactor = intraFactor;
        this.fabricFactor = fabricFactor;
        this.powerFactor = powerFactor;
        return this;
    }

    /** An idle node: chips near 0 %, links at their nominal latency. */
    Demand idle() {
        return set(1.5, 0.35, 1.0, 1.0);
    }
}
