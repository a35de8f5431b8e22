package io.chipwatch.collector.sim;

/**
 * How a job's demand moves over its life. Implementations are immutable parameter sets; the demand at an
 * instant is a pure function of the time since the job started, so all chips of a job move in lockstep.
 */
public sealed interface JobProfile permits TrainingProfile, InferenceProfile {

    /**
     * Writes the demand {@code elapsedMillis} after the job started into {@code out}.
     *
     * @param phases     whether the job moves through phases of different power per utilisation (else every
     *                   busy phase is compute-bound, power factor 1)
     * @param lookalikes whether the job has its normal pauses (checkpoints, evaluation steps)
     */
    void demandAt(long elapsedMillis, Demand out, boolean phases, boolean lookalikes);

    /**
     * Whether the job's chips compute {@code elapsedMillis} after it started: busy with the job's own work, where
     * a slow chip falls behind (not in collectives, data-loading stalls, checkpoints).
     */
    default boolean computing(long elapsedMillis, boolean phases, boolean lookalikes) {
        return !communicating(elapsedMillis, phases, lookalikes);
    }

    /** Whether the job is in a communication phase (collectives) {@code elapsedMillis} after it started. */
    default boolean communicating(long elapsedMillis, boolean phases, boolean lookalikes) {
        return false;
    }
}
