package io.chipwatch.collector.sim;

/**
 * Power-budget events of the facility: now and then the power manager caps a whole job's chips (a row's breaker
 * budget, a demand-response event), typically to 65-78 % of their maximum for one to three minutes. The firmware
 * holds each chip at the cap by lowering its clocks: power flat at the cap, utilisation as before (the chips stay
 * busy, each step just takes longer). Normal behaviour, never a fault in the ground truth; docs/SIMULATOR.md.
 *
 * <p>A pure function of (seed, job, time): each job's life is cut into {@link #BUCKET_MILLIS} buckets from its
 * start, and a bucket holds one event with probability {@link #EVENT_P}, at a drawn offset, length and cap.
 */
final class PowerBudget {
    static final long BUCKET_MILLIS = 600_000L;
    static final double EVENT_P = 0.3;
    static final long MIN_MILLIS = 60_000L, MAX_MILLIS = 180_000L;
    static final double CAP_MIN = 0.65, CAP_MAX = 0.78;
    private static final long STREAM_POWER_BUDGET = -9;

    private final Noise noise = new Noise();
    private final long seed;

    PowerBudget(long seed) {
        this.seed = seed;
    }

    /** The cap on the job's chips {@code elapsedMillis} after it started, as a fraction of each chip's maximum; 1: none. */
    double capFraction(Job job, long elapsedMillis) {
        if (elapsedMillis < 0) {
            return 1.0;
        }
        long bucket = elapsedMillis / BUCKET_MILLIS;
        noise.reset(seed, STREAM_POWER_BUDGET, Noise.mix(job.id().hashCode()) + bucket);
        if (noise.uniform() >= EVENT_P) {
            return 1.0;
        }
        long length = (long) noise.uniform(MIN_MILLIS, MAX_MILLIS);
        long start = (long) noise.uniform(0, BUCKET_MILLIS - length);
        double cap = noise.uniform(CAP_MIN, CAP_MAX);
        long inBucket = elapsedMillis - bucket * BUCKET_MILLIS;
        return inBucket >= start && inBucket < start + length ? cap : 1.0;
    }
}
