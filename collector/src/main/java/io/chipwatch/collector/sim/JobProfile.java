package io.chipwatch.collector.sim;

/**
 * How a job's demand moves over its life. Implementations are immutable parameter sets; the demand at an
 * instant is a pure function of the time since the job started, so all chips of a job move in lockstep.
 */
public sealed interface JobProfile permits TrainingProfile, InferenceProfile {

    /** Writes the demand {@code elapsedMillis} after the job started into {@code out}. */
    void demandAt(long elapsedMillis, Demand out);
}
