package io.chipwatch.collector.sim;

import io.chipwatch.model.topology.ClusterShape;

import java.util.Objects;

/**
 * What to simulate: how big the cluster is, how it is laid out, the random seed and the sampling clock.
 * Immutable; build one with {@link #builder()}. Two simulators built from equal configs produce identical
 * samples, which is what makes {@code simulate} output and test expectations reproducible.
 */
public final class SimulationConfig {
    /** 2026-01-01T00:00:00Z: a fixed default start so that runs without an explicit start are byte-identical. */
    public static final long DEFAULT_START_MILLIS = 1_767_225_600_000L;
    public static final int DEFAULT_CHIPS = 10_000;
    public static final long DEFAULT_SEED = 1L;
    public static final long DEFAULT_SAMPLE_INTERVAL_MILLIS = 1_000L;
    public static final double DEFAULT_BUSY_FRACTION = 0.75;

    private final int chips;
    private final ClusterShape shape;
    private final long seed;
    private final long sampleIntervalMillis;
    private final long startMillis;
    private final double busyFraction;
    private final int shardIndex;
    private final int shardCount;
    private final Imperfections imperfections;

    private SimulationConfig(Builder b) {
        this.chips = b.chips;
        this.shape = Objects.requireNonNull(b.shape, "shape");
        this.seed = b.seed;
        this.sampleIntervalMillis = b.sampleIntervalMillis;
        this.startMillis = b.startMillis;
        this.busyFraction = b.busyFraction;
        this.shardIndex = b.shardIndex;
        this.shardCount = b.shardCount;
        this.imperfections = Objects.requireNonNull(b.imperfections, "imperfections");
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
            throw new IllegalArgumentException("shard must be i/n with 0 <= i < n, got " + shardIndex + "/" + shardCount);
        }
        if (chips < 1) {
            throw new IllegalArgumentException("chips must be at least 1, got " + chips);
        }
        if (chips % shape.chipsPerNode() != 0) {
            throw new IllegalArgumentException("chips (" + chips + ") must be a multiple of the "
                    + shape.chipsPerNode() + " chips per node");
        }
        if (sampleIntervalMillis < 1) {
            throw new IllegalArgumentException("sampleIntervalMillis must be positive, got " + sampleIntervalMillis);
        }
        if (!(busyFraction >= 0.0 && busyFraction <= 1.0)) {
            throw new IllegalArgumentException("busyFraction must be within [0, 1], got " + busyFraction);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this config's values, for deriving a variant. */
    public Builder toBuilder() {
        return new Builder().chips(chips).shape(shape).seed(seed).sampleIntervalMillis(sampleIntervalMillis)
                .startMillis(startMillis).busyFraction(busyFraction).shard(shardIndex, shardCount).imperfections(imperfections);
    }

    /** Number of chips; a whole number of nodes. */
    public int chips() {
        return chips;
    }

    public ClusterShape shape() {
        return shape;
    }

    public long seed() {
        return seed;
    }

    /** Time between two samples of the same chip. */
    public long sampleIntervalMillis() {
        return sampleIntervalMillis;
    }

    /** Timestamp of the first tick, epoch milliseconds. */
    public long startMillis() {
        return startMillis;
    }

    /** Fraction of nodes the workload keeps busy with jobs; the rest sit idle. */
    public double busyFraction() {
        return busyFraction;
    }

    /** Which slice of the cluster this simulator samples: shard {@code shardIndex()} of {@link #shardCount()}. */
    public int shardIndex() {
        return shardIndex;
    }

    /** Number of collector processes sharing the cluster; 1 when one process samples every chip. */
    public int shardCount() {
        return shardCount;
    }

    /** Which imperfections of real telemetry the data carries ({@link Imperfections#REAL} unless turned off). */
    public Imperfections imperfections() {
        return imperfections;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulationConfig c && c.chips == chips && c.shape.equals(shape) && c.seed == seed
                && c.sampleIntervalMillis == sampleIntervalMillis && c.startMillis == startMillis
                && Double.compare(c.busyFraction, busyFraction) == 0 && c.shardIndex == shardIndex
                && c.shardCount == shardCount && c.imperfections.equals(imperfections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chips, shape, seed, sampleIntervalMillis, startMillis, busyFraction, shardIndex,
                shardCount, imperfections);
    }

    @Override
    public String toString() {
        return "SimulationConfig{chips=" + chips + ", shape=" + shape + ", seed=" + seed + ", sampleIntervalMillis="
                + sampleIntervalMillis + ", startMillis=" + startMillis + ", busyFraction=" + busyFraction
                + (shardCount > 1 ? ", shard=" + shardIndex + "/" + shardCount : "")
                + (imperfections.equals(Imperfections.REAL) ? "" : ", imperfections=" + imperfections) + '}';
    }

    /** Collects the settings of a {@link SimulationConfig}; every setting has a default. */
    public static final class Builder {
        private int chips = DEFAULT_CHIPS;
        private ClusterShape shape = ClusterShape.DEFAULT;
        private long seed = DEFAULT_SEED;
        private long sampleIntervalMillis = DEFAULT_SAMPLE_INTERVAL_MILLIS;
        private long startMillis = DEFAULT_START_MILLIS;
        private double busyFraction = DEFAULT_BUSY_FRACTION;
        private int shardIndex = 0;
        private int shardCount = 1;
        private Imperfections imperfections = Imperfections.REAL;

        private Builder() {
        }

        public Builder chips(int chips) {
            this.chips = chips;
            return this;
        }

        public Builder shape(ClusterShape shape) {
            this.shape = shape;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder sampleIntervalMillis(long sampleIntervalMillis) {
            this.sampleIntervalMillis = sampleIntervalMillis;
            return this;
        }

        public Builder startMillis(long startMillis) {
            this.startMillis = startMillis;
            return this;
        }

        public Builder busyFraction(double busyFraction) {
            this.busyFraction = busyFraction;
            return this;
        }

        /**
         * Samples only shard {@code index} of {@code count}: a disjoint slice of whole racks (whole nodes when
         * there are fewer racks than shards), so that {@code count} collectors together sample every chip once.
         */
        public Builder shard(int index, int count) {
            this.shardIndex = index;
            this.shardCount = count;
            return this;
        }

        /** Which imperfections of real telemetry to simulate (default: all, {@link Imperfections#REAL}). */
        public Builder imperfections(Imperfections imperfections) {
            this.imperfections = imperfections;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public SimulationConfig build() {
            return new SimulationConfig(this);
        }
    }
}
