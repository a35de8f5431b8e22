package io.chipwatch.collector.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated scheduler and its jobs: places jobs on contiguous node ranges so that about
 * {@code busyFraction} of the nodes are busy, retires jobs when they end and starts new ones in the freed space,
 * and each tick turns the running jobs into per-node {@link Demand} that the physics reads.
 *
 * <p>All scheduling randomness comes from one generator seeded by the simulation seed and is consumed only by
 * scheduling events, in time order, so the job history depends on the seed, the node count and the tick times,
 * never on the per-chip noise.
 */
final class WorkloadModel {
    private static final int[] TRAINING_SIZES = {1, 2, 4, 8, 16, 32, 64};
    private static final int[] TRAINING_WEIGHTS = {20, 20, 20, 15, 12, 8, 5};
    private static final int[] INFERENCE_SIZES = {1, 2, 4};
    private static final int[] INFERENCE_WEIGHTS = {50, 30, 20};
    private static final double TRAINING_SHARE = 0.75;
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    private final int nodeCount;
    private final double busyFraction;
    private final SplittableRandom rng;
    /** Draws the phases and pauses of new jobs: apart, so that the job history does not depend on them. */
    private final SplittableRandom phaseRng;
    private final List<Job> jobs = new ArrayList<>();
    private final Job[] nodeJob;
    private int busyNodes;
    private int jobCounter;

    // Per-node demand of the current tick: primitive arrays, read once per chip.
    private final double[] utilMean;
    private final double[] utilSigma;
    private final double[] intraFactor;
    private final double[] fabricFactor;
    private final String[] jobId;
    private final double[] powerFactor;
    private final double[] capFraction;
    private final double[] computeShare;
    private final Demand scratch = new Demand();
    private final boolean phases;
    private final boolean lookalikes;
    private final long windowMillis;
    private final int windowPoints;
    private final PowerBudget powerBudget;

    /** A workload without imperfections, sampled at 1 Hz (tests of the scheduler). */
    WorkloadModel(int nodeCount, double busyFraction, long seed, long startMillis) {
        this(nodeCount, busyFraction, seed, startMillis, Imperfections.CLEAN, 1000);
    }

    /**
     * @param imperfections  which imperfections apply: workload phases, normal look-alikes (checkpoints,
     *                       evaluations, power capping) and, with real readings, demand averaged over the window
     * @param intervalMillis the sampling interval: the window that utilisation and power are averaged over
     */
    WorkloadModel(int nodeCount, double busyFraction, long seed, long startMillis, Imperfections imperfections,
                  long intervalMillis) {
        this.phases = imperfections.workloadPhases();
        this.lookalikes = imperfections.normalLookalikes();
        this.windowMillis = intervalMillis;
        // Averaged over the window at 100 ms resolution (the grid of the phases), at most 10 points.
        this.windowPoints = imperfections.realReadings() ? (int) Math.max(1, Math.min(10, intervalMillis / 100)) : 1;
        this.powerBudget = new PowerBudget(seed);
        this.powerFactor = new double[nodeCount];
        this.capFraction = new double[nodeCount];
        this.computeShare = new double[nodeCount];
        this.nodeCount = nodeCount;
        this.busyFraction = busyFraction;
        this.rng = new SplittableRandom(Noise.mix(seed ^ 0x5EED_70B5L));
        this.phaseRng = new SplittableRandom(Noise.mix(seed ^ 0x9A5E_5EEDL));
        this.nodeJob = new Job[nodeCount];
        this.utilMean = new double[nodeCount];
        this.utilSigma = new double[nodeCount];
        this.intraFactor = new double[nodeCount];
        this.fabricFactor = new double[nodeCount];
        this.jobId = new String[nodeCount];
        placeInitialJobs(startMillis);
    }

    /**
     * Fills the cluster at the start: jobs in node order, each followed by an idle gap sized so that on
     * average {@code busyFraction} of the nodes end up busy. The jobs started at random times in the past, so
     * they end at spread-out times instead of all at once.
     */
    private void placeInitialJobs(long startMillis) {
        if (busyFraction <= 0) {
            return;
        }
        double gapPerBusyNode = (1 - busyFraction) / busyFraction;
        int cursor = 0;
        while (cursor < nodeCount) {
            JobKind kind = drawKind();
            int size = Math.min(drawSize(kind), nodeCount - cursor);
            long duration = drawDuration(kind);
            long start = startMillis - (long) (rng.nextDouble() * duration);
            // A job always outlives the first tick: a cluster never starts with jobs ending at t=0.
            long end = Math.max(start + duration, startMillis + MINUTE);
            addJob(newJob(kind, cursor, size, start, end));
            cursor += size;
            cursor += stochasticRound(size * gapPerBusyNode * 2 * rng.nextDouble());
        }
    }

    /** Moves the workload to {@code timestampMillis}: retires ended jobs, starts new ones, computes demand. */
    void advanceTo(long timestampMillis) {
        retireEndedJobs(timestampMillis);
        startJobsIfBelowTarget(timestampMillis);
        computeDemand(timestampMillis);
    }

    private void retireEndedJobs(long now) {
        for (Iterator<Job> it = jobs.iterator(); it.hasNext(); ) {
            Job job = it.next();
            if (job.endMillis() <= now) {
                it.remove();
                for (int n = job.firstNode(); n < job.firstNode() + job.nodeCount(); n++) {
                    nodeJob[n] = null;
                }
                busyNodes -= job.nodeCount();
            }
        }
    }

    /**
     * Starts at most a few jobs a tick, so that freed nodes stay idle for a while as they do behind a real
     * queue, and the job count changes gradually.
     */
    private void startJobsIfBelowTarget(long now) {
        int maxStarts = Math.max(1, nodeCount / 500);
        for (int i = 0; i < maxStarts && busyNodes < busyFraction * nodeCount - 0.5; i++) {
            int[] run = pickFreeRun();
            if (run == null) {
                return;
            }
            JobKind kind = drawKind();
            int size = Math.min(drawSize(kind), run[1]);
            addJob(newJob(kind, run[0], size, now, now + drawDuration(kind)));
        }
    }

    /** A free run of nodes {start, length}, chosen with probability proportional to its length; null if none. */
    private int[] pickFreeRun() {
        int free = nodeCount - busyNodes;
        if (free <= 0) {
            return null;
        }
        int target = rng.nextInt(free);
        int seen = 0;
        for (int n = 0; n < nodeCount; n++) {
            if (nodeJob[n] == null) {
                if (seen == target) {
                    int start = n;
                    while (start > 0 && nodeJob[start - 1] == null) {
                        start--;
                    }
                    int end = n;
                    while (end < nodeCount && nodeJob[end] == null) {
                        end++;
                    }
                    return new int[] {start, end - start};
                }
                seen++;
            }
        }
        return null;
    }

    private void addJob(Job job) {
        jobs.add(job);
        for (int n = job.firstNode(); n < job.firstNode() + job.nodeCount(); n++) {
            nodeJob[n] = job;
        }
        busyNodes += job.nodeCount();
    }

    private Job newJob(JobKind kind, int firstNode, int size, long start, long end) {
        jobCounter++;
        String id = String.format("%s-%05d", kind.idPrefix(), jobCounter);
        return new Job(id, kind, firstNode, size, start, end, drawProfile(kind, size));
    }

    private JobProfile drawProfile(JobKind kind, int size) {
        if (kind == JobKind.TRAINING) {
            // Steps of 3-12 s with 12-30 % of each step spent in collectives, on a 100 ms grid.
            long step = 100 * (30 + rng.nextInt(91));
            long comm = Math.max(100, 100 * Math.round(step * (0.12 + 0.18 * rng.nextDouble()) / 100));
            double intra = 1.4 + 0.5 * rng.nextDouble();
            // A single-node job's collectives stay on the intra-node mesh; the fabric sees little of them.
            double fabric = size == 1 ? 1.1 : 1.6 + 1.0 * rng.nextDouble();
            double computeUtil = 88 + 8 * rng.nextDouble();
            double commUtil = 32 + 14 * rng.nextDouble();
            return TrainingProfile.withPhases(step, comm, computeUtil, commUtil, intra, fabric, phaseRng);
        }
        return new InferenceProfile(40 + 30 * rng.nextDouble(), 10 + 10 * rng.nextDouble(),
                10 * MINUTE + (long) (50 * MINUTE * rng.nextDouble()), 2 * Math.PI * rng.nextDouble(),
                20_000 + (long) (70_000 * phaseRng.nextDouble()), phaseRng.nextLong());
    }

    private JobKind drawKind() {
        return rng.nextDouble() < TRAINING_SHARE ? JobKind.TRAINING : JobKind.INFERENCE;
    }

    private int drawSize(JobKind kind) {
        return kind == JobKind.TRAINING ? weighted(TRAINING_SIZES, TRAINING_WEIGHTS)
                : weighted(INFERENCE_SIZES, INFERENCE_WEIGHTS);
    }

    private long drawDuration(JobKind kind) {
        return kind == JobKind.TRAINING ? 20 * MINUTE + (long) (rng.nextDouble() * 7.67 * HOUR)
                : 2 * HOUR + (long) (rng.nextDouble() * 22 * HOUR);
    }

    private int weighted(int[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = rng.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private int stochasticRound(double x) {
        int floor = (int) Math.floor(x);
        return floor + (rng.nextDouble() < x - floor ? 1 : 0);
    }

    /**
     * Starts a job of {@code size} nodes now (a scenario's job_start event): on the first free run of nodes that
     * is long enough, else on the longest free run, shortened. Returns the job, or null when no node is free.
     */
    Job startJob(JobKind kind, int size, long now, long durationMillis) {
        int bestStart = -1;
        int bestLength = 0;
        for (int n = 0; n < nodeCount; ) {
            if (nodeJob[n] != null) {
                n++;
                continue;
            }
            int start = n;
            while (n < nodeCount && nodeJob[n] == null) {
                n++;
            }
            int length = n - start;
            if (length >= size) {
                bestStart = start;
                bestLength = length;
                break;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        if (bestStart < 0) {
            return null;
        }
        int nodes = Math.min(size, bestLength);
        Job job = newJob(kind, bestStart, nodes, now, now + durationMillis);
        addJob(job);
        return job;
    }

    /** Ends the job with this id now (a scenario's job_stop event); false when no such job runs. */
    boolean stopJob(String id, long now) {
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            if (job.id().equals(id)) {
                Job ended = new Job(job.id(), job.kind(), job.firstNode(), job.nodeCount(), job.startMillis(), now,
                        job.profile());
                jobs.set(i, ended);
                for (int n = job.firstNode(); n < job.firstNode() + job.nodeCount(); n++) {
                    nodeJob[n] = ended;
                }
                return true;
            }
        }
        return false;
    }

    /** The job owning the node now, or null. */
    Job jobOf(int node) {
        return nodeJob[node];
    }

    private void computeDemand(long now) {
        for (int n = 0; n < nodeCount; n++) {
            Job job = nodeJob[n];
            if (job == null) {
                scratch.idle();
                jobId[n] = null;
                setDemand(n, scratch.utilMean(), scratch.utilSigma(), scratch.powerFactor());
                capFraction[n] = 1.0;
                computeShare[n] = 0;
            } else if (n > 0 && nodeJob[n - 1] == job) {
                // Same job as the previous node: same demand.
                jobId[n] = job.id();
                setDemand(n, utilMean[n - 1], utilSigma[n - 1], powerFactor[n - 1]);
                capFraction[n] = capFraction[n - 1];
                computeShare[n] = computeShare[n - 1];
            } else {
                long elapsed = now - job.startMillis();
                jobId[n] = job.id();
                windowDemand(job.profile(), elapsed, n);
                capFraction[n] = lookalikes ? powerBudget.capFraction(job, elapsed) : 1.0;
            }
            intraFactor[n] = scratch.intraFactor();
            fabricFactor[n] = scratch.fabricFactor();
        }
    }

    /**
     * The job's demand averaged over the sampling window that ends at {@code elapsed} (utilisation is the busy
     * fraction of the window, power its mean); one point at {@code elapsed} without real readings. Leaves the
     * demand at {@code elapsed} itself in {@link #scratch} (link latency is an instant's probe).
     */
    private void windowDemand(JobProfile profile, long elapsed, int n) {
        double util = 0;
        double sigma = 0;
        double powerUtil = 0;
        int computing = 0;
        for (int i = windowPoints - 1; i >= 0; i--) {
            long at = elapsed - windowMillis * i / windowPoints;
            profile.demandAt(at, scratch, phases, lookalikes);
            if (profile.computing(at, phases, lookalikes)) {
                computing++;
            }
            util += scratch.utilMean();
            sigma += scratch.utilSigma();
            powerUtil += scratch.utilMean() * scratch.powerFactor();
        }
        util /= windowPoints;
        computeShare[n] = computing / (double) windowPoints;
        setDemand(n, util, sigma / windowPoints, util > 0 ? powerUtil / windowPoints / util : 1.0);
    }

    private void setDemand(int n, double util, double sigma, double factor) {
        utilMean[n] = util;
        utilSigma[n] = sigma;
        powerFactor[n] = factor;
    }

    /** The jobs running now, in start order (initial ones in node order). */
    List<Job> jobs() {
        return Collections.unmodifiableList(jobs);
    }

    int busyNodes() {
        return busyNodes;
    }

    double utilMean(int node) {
        return utilMean[node];
    }

    double utilSigma(int node) {
        return utilSigma[node];
    }

    double intraFactor(int node) {
        return intraFactor[node];
    }

    double fabricFactor(int node) {
        return fabricFactor[node];
    }

    /** Power per utilisation point of the node's demand over the window (1: compute-bound). */
    double powerFactor(int node) {
        return powerFactor[node];
    }

    /** The power cap on the node's chips now, as a fraction of their maximum (1: none; {@link PowerBudget}). */
    double capFraction(int node) {
        return capFraction[node];
    }

    /** Share of the window in which the node's job computed (not communicating, loading data nor paused), 0..1. */
    double computeShare(int node) {
        return computeShare[node];
    }

    /** Id of the job owning the node at the current tick, or null when idle. */
    String jobId(int node) {
        return jobId[node];
    }
}
