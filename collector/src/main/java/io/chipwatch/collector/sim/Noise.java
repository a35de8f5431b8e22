package io.chipwatch.collector.sim;

/**
 * A counter-based random source: {@link #reset} positions it on a stream named by (seed, stream, index), and the
 * draws that follow depend on nothing else. The simulator keys per-sample noise by (seed, timestamp, chip), so a
 * chip's reading does not depend on how many other chips were simulated before it or in which order: a shard of
 * the cluster, a run that skipped ticks and a full run all agree on the chips they share.
 *
 * <p>SplitMix64 underneath: cheap (a few ns a draw), statistically fine for noise. Mutable, not thread-safe.
 */
final class Noise {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final double SQRT3 = Math.sqrt(3.0);

    private long state;

    /** Positions the source at the start of stream {@code (seed, stream, index)}. */
    Noise reset(long seed, long stream, long index) {
        // Nested mixing, so that no linear combination of the three keys collides with another.
        state = mix(mix(mix(seed + GOLDEN) + stream * 0xBF58476D1CE4E5B9L) + index * 0x94D049BB133111EBL);
        return this;
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double uniform() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * uniform();
    }

    /**
     * Approximately standard normal: the Irwin-Hall sum of four uniforms scaled to unit variance. Bounded to
     * about ±3.46, which is what noise on a physical reading wants anyway (no absurd outliers by accident;
     * glitches are injected on purpose, never drawn).
     */
    double gaussian() {
        return (uniform() + uniform() + uniform() + uniform() - 2.0) * SQRT3;
    }

    /** Exponential with mean 1, for positive skewed jitter. */
    double exponential() {
        return -Math.log(1.0 - uniform());
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
