package io.chipwatch.collector.sim;

import java.util.SplittableRandom;

/**
 * A synchronous training job. Every step is a compute phase followed by a communication phase (the gradient
 * all-reduce) in which utilisation dips and link latency rises. Steps are counted from the job's start, so the
 * job's chips are all in the same phase at the same instant.
 *
 * <p>With workload phases on, the compute phase ends in a memory-bound part (optimizer update, attention over a
 * long context: utilisation near 100 % at ~60 % of the power per utilisation point) and every
 * {@code loadEverySteps}-th step starts with a data-loading stall (chips nearly idle). With normal look-alikes
 * on, the whole job pauses for a checkpoint every {@code checkpointEveryMillis} and runs an evaluation (lower
 * utilisation, no collectives) every {@code evalEveryMillis}. docs/SIMULATOR.md says why.
 *
 * @param stepMillis           length of one step
 * @param commMillis           length of the communication phase at the end of each step
 * @param computeUtil          mean utilisation in the compute phase, percent
 * @param commUtil             mean utilisation in the communication phase, percent
 * @param intraCommFactor      intra-node link latency multiplier while communicating
 * @param fabricCommFactor     fabric link latency multiplier while communicating
 * @param memoryFraction       share of the compute phase, at its end, that is memory-bound
 * @param memoryPowerFactor    power per utilisation point in the memory-bound part, relative to compute-bound
 * @param loadEverySteps       every this many steps one starts with a data-loading stall
 * @param loadMillis           length of that stall
 * @param checkpointEveryMillis time between two checkpoints
 * @param checkpointMillis     how long the job idles for one
 * @param evalEveryMillis      time between two evaluation runs
 * @param evalMillis           how long an evaluation runs
 * @param evalUtil             mean utilisation during an evaluation, percent
 */
public record TrainingProfile(long stepMillis, long commMillis, double computeUtil, double commUtil,
                              double intraCommFactor, double fabricCommFactor, double memoryFraction,
                              double memoryPowerFactor, int loadEverySteps, long loadMillis,
                              long checkpointEveryMillis, long checkpointMillis, long evalEveryMillis,
                              long evalMillis, double evalUtil) implements JobProfile {

    /** Latency multiplier from the light background traffic of the compute phase (data loading, metrics). */
    static final double COMPUTE_LINK_FACTOR = 1.03;
    /** Utilisation in the memory-bound part of the compute phase: the chip is never idle there. */
    static final double MEMORY_UTIL = 98.0;
    /** Power per utilisation point while communicating (DMA engines and link SerDes, few arithmetic units). */
    static final double COMM_POWER_FACTOR = 0.75;
    /** Power per utilisation point of an evaluation (forward passes only, smaller batches). */
    static final double EVAL_POWER_FACTOR = 0.85;
    private static final long MINUTE = 60_000L;

    /** The phase a training job is in. */
    enum Phase {
        COMPUTE, MEMORY, COMMUNICATION, DATA_LOADING, CHECKPOINT, EVALUATION
    }

    public TrainingProfile {
        if (stepMillis < 1 || commMillis < 0 || commMillis >= stepMillis) {
            throw new IllegalArgumentException("need 0 <= commMillis < stepMillis, got " + commMillis + " / " + stepMillis);
        }
        if (loadEverySteps < 1 || checkpointEveryMillis < 1 || evalEveryMillis < 1) {
            throw new IllegalArgumentException("loadEverySteps, checkpointEveryMillis and evalEveryMillis must be positive");
        }
    }

    /** A profile without memory-bound parts, stalls, checkpoints nor evaluations: compute, then communicate. */
    public TrainingProfile(long stepMillis, long commMillis, double computeUtil, double commUtil,
                           double intraCommFactor, double fabricCommFactor) {
        this(stepMillis, commMillis, computeUtil, commUtil, intraCommFactor, fabricCommFactor, 0, 1,
                Integer.MAX_VALUE, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, 0, computeUtil);
    }

    /**
     * A profile with its phases and pauses drawn from {@code rng}: a memory-bound tail of 20-50 % of the compute
     * phase at 50-65 % of the power per utilisation point; a data-loading stall of 1-2.5 s every 15-40 steps; a
     * checkpoint of 20-60 s every 8-20 min; an evaluation of 30-90 s at 50-70 % every 15-40 min.
     */
    static TrainingProfile withPhases(long stepMillis, long commMillis, double computeUtil, double commUtil,
                                      double intraCommFactor, double fabricCommFactor, SplittableRandom rng) {
        double memoryFraction = 0.2 + 0.3 * rng.nextDouble();
        double memoryPower = 0.5 + 0.15 * rng.nextDouble();
        int loadEvery = 15 + rng.nextInt(26);
        long loadMillis = 100 * (10 + rng.nextInt(16));
        long checkpointEvery = 8 * MINUTE + (long) (12 * MINUTE * rng.nextDouble());
        long checkpointMillis = 1000 * (20 + rng.nextInt(41));
        long evalEvery = 15 * MINUTE + (long) (25 * MINUTE * rng.nextDouble());
        long evalMillis = 1000 * (30 + rng.nextInt(61));
        double evalUtil = 50 + 20 * rng.nextDouble();
        return new TrainingProfile(stepMillis, commMillis, computeUtil, commUtil, intraCommFactor, fabricCommFactor,
                memoryFraction, memoryPower, loadEvery, loadMillis, checkpointEvery, checkpointMillis, evalEvery,
                evalMillis, evalUtil);
    }

    /** The phase {@code elapsedMillis} after the job started. */
    Phase phaseAt(long elapsedMillis, boolean phases, boolean lookalikes) {
        if (lookalikes && elapsedMillis > 0) {
            if (Math.floorMod(elapsedMillis, checkpointEveryMillis) >= checkpointEveryMillis - checkpointMillis) {
                return Phase.CHECKPOINT;
            }
            if (Math.floorMod(elapsedMillis + evalEveryMillis / 2, evalEveryMillis) < evalMillis) {
                return Phase.EVALUATION;
            }
        }
        long inStep = Math.floorMod(elapsedMillis, stepMillis);
        long computeMillis = stepMillis - commMillis;
        if (inStep >= computeMillis) {
            return Phase.COMMUNICATION;
        }
        if (phases) {
            long step = Math.floorDiv(elapsedMillis, stepMillis);
            if (inStep < loadMillis && Math.floorMod(step, loadEverySteps) == loadEverySteps - 1) {
                return Phase.DATA_LOADING;
            }
            if (inStep >= computeMillis * (1.0 - memoryFraction)) {
                return Phase.MEMORY;
            }
        }
        return Phase.COMPUTE;
    }

    /** Whether the job is in its communication phase {@code elapsedMillis} after it started (no phases, no pauses). */
    public boolean communicating(long elapsedMillis) {
        return phaseAt(elapsedMillis, false, false) == Phase.COMMUNICATION;
    }

    @Override
    public boolean communicating(long elapsedMillis, boolean phases, boolean lookalikes) {
        return phaseAt(elapsedMillis, phases, lookalikes) == Phase.COMMUNICATION;
    }

    @Override
    public boolean computing(long elapsedMillis, boolean phases, boolean lookalikes) {
        Phase p = phaseAt(elapsedMillis, phases, lookalikes);
        return p == Phase.COMPUTE || p == Phase.MEMORY || p == Phase.EVALUATION;
    }

    @Override
    public void demandAt(long elapsedMillis, Demand out, boolean phases, boolean lookalikes) {
        switch (phaseAt(elapsedMillis, phases, lookalikes)) {
            // Collectives keep the chips partly busy; the spread is wider because overlap varies per chip.
            case COMMUNICATION -> out.set(commUtil, 3.0, intraCommFactor, fabricCommFactor,
                    phases ? COMM_POWER_FACTOR : 1.0);
            case MEMORY -> out.set(MEMORY_UTIL, 0.8, COMPUTE_LINK_FACTOR, COMPUTE_LINK_FACTOR, memoryPowerFactor);
            // Waiting on the input pipeline: the host works, the chips barely.
            case DATA_LOADING -> out.set(6.0, 2.0, 1.0, 1.15, 1.0);
            // Weights and optimizer state go to storage: the chips idle, the fabric carries a little.
            case CHECKPOINT -> out.set(2.0, 0.5, 1.0, 1.1, 1.0);
            case EVALUATION -> out.set(evalUtil, 3.0, COMPUTE_LINK_FACTOR, COMPUTE_LINK_FACTOR, EVAL_POWER_FACTOR);
            case COMPUTE -> out.set(computeUtil, 1.2, COMPUTE_LINK_FACTOR, COMPUTE_LINK_FACTOR);
        }
    }
}
