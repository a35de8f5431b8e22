package io.chipwatch.jobs.sketch;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A mergeable latency histogram: the sketch behind every latency percentile the jobs write. Merging two sketches
 * gives exactly the sketch of all their values together, so percentiles of a rack are computed from its chips'
 * sketches, never from averages of averages.
 *
 * <p><b>Buckets and precision.</b> Values are recorded in {@linkplain #UNITS_PER_US units of 1 ns} (0.001 µs) and
 * counted in HdrHistogram's log-linear buckets for 3 significant digits: values below 2048 units have a bucket each;
 * above that every power-of-two range is split into 1024 equal buckets. A bucket is therefore never wider than
 * 1/1024 of the values in it, and a percentile read from the sketch is the highest value of the bucket holding
 * the exact nearest-rank percentile, capped at the largest recorded value. So for the exact percentile {@code x}
 * (in units) the sketch reports {@code r} with {@code x <= r <= x * (1 + 1/1024)}: never under-reported, at most
 * 0.1 % over. Converting µs to units rounds to the nearest nanosecond, which adds at most 0.0005 µs.
 *
 * <p><b>Why not {@code org.HdrHistogram.Histogram} itself.</b> Its counts array covers the whole value range
 * (17-200 KB per histogram); the job keeps one sketch per link per window (80,000 for 10,000 chips), each holding
 * about ten values. {@code PackedHistogram} is compact (about 1 KB) but took 16-50 µs per create, merge or
 * percentile here. This class keeps only the non-empty buckets in two sorted arrays: a few dozen bytes, and
 * merges and percentiles in well under a microsecond. Bucket boundaries are the same as HdrHistogram's, so the
 * two report the same percentiles (the tests check that).
 *
 * <p>Mutable and not thread-safe. Flink serializes it with {@link LatencySketchSerializer} (no Kryo).
 */
@TypeInfo(LatencySketchTypeInfoFactory.class)
public final class LatencySketch {
    /** Recording units per microsecond: values are kept in nanoseconds. */
    public static final long UNITS_PER_US = 1000;
    /** log2 of the number of sub-buckets in each power-of-two range (3 significant digits: 1024). */
    static final int SUB_BUCKET_HALF_BITS = 10;
    static final int SUB_BUCKET_HALF = 1 << SUB_BUCKET_HALF_BITS;
    /** Values below this get one bucket each. */
    static final long LINEAR_LIMIT = 2L * SUB_BUCKET_HALF;
    /** Relative width of the widest bucket: the bound on the relative error of a reported percentile. */
    public static final double RELATIVE_PRECISION = 1.0 / SUB_BUCKET_HALF;

    private static final int[] NO_INDEXES = new int[0];
    private static final long[] NO_COUNTS = new long[0];

    /** Bucket indexes in ascending order; only the first {@link #size} are used. */
    private int[] indexes = NO_INDEXES;
    /** Count of each bucket in {@link #indexes}. */
    private long[] counts = NO_COUNTS;
    private int size;
    private long totalCount;
    /** Largest recorded value in units, or -1 when empty. */
    private long maxUnits = -1;

    public LatencySketch() {
    }

    /** Records one latency in microseconds. Negative values count as 0; callers reject them first. */
    public void recordMicros(double latencyUs) {
        recordUnits(Math.round(latencyUs * UNITS_PER_US));
    }

    /** Records one value in units of 1 ns. */
    public void recordUnits(long units) {
        recordUnits(units, 1);
    }

    private void recordUnits(long units, long count) {
        long v = Math.max(0, units);
        int index = bucketIndex(v);
        int pos = Arrays.binarySearch(indexes, 0, size, index);
        if (pos >= 0) {
            counts[pos] += count;
        } else {
            insert(-pos - 1, index, count);
        }
        totalCount += count;
        if (v > maxUnits) {
            maxUnits = v;
        }
    }

    private void insert(int pos, int index, long count) {
        if (size == indexes.length) {
            int capacity = Math.max(4, size * 2);
            indexes = Arrays.copyOf(indexes, capacity);
            counts = Arrays.copyOf(counts, capacity);
        }
        System.arraycopy(indexes, pos, indexes, pos + 1, size - pos);
        System.arraycopy(counts, pos, counts, pos + 1, size - pos);
        indexes[pos] = index;
        counts[pos] = count;
        size++;
    }

    /** Adds every value of {@code other} to this sketch; {@code other} is unchanged. */
    public void merge(LatencySketch other) {
        if (other.size == 0) {
            return;
        }
        if (size == 0) {
            if (indexes.length < other.size) {
                indexes = new int[other.size];
                counts = new long[other.size];
            }
            System.arraycopy(other.indexes, 0, indexes, 0, other.size);
            System.arraycopy(other.counts, 0, counts, 0, other.size);
            size = other.size;
        } else {
            // Merge backwards into this sketch's own arrays, grown once if need be: no allocation when they fit.
            int capacity = size + other.size;
            if (indexes.length < capacity) {
                int grown = Math.max(capacity, indexes.length + indexes.length / 2);
                indexes = Arrays.copyOf(indexes, grown);
                counts = Arrays.copyOf(counts, grown);
            }
            int i = size - 1, j = other.size - 1, n = capacity;
            while (j >= 0) {
                if (i >= 0 && indexes[i] > other.indexes[j]) {
                    indexes[--n] = indexes[i];
                    counts[n] = counts[i--];
                } else if (i >= 0 && indexes[i] == other.indexes[j]) {
                    indexes[--n] = indexes[i];
                    counts[n] = counts[i--] + other.counts[j--];
                } else {
                    indexes[--n] = other.indexes[j];
                    counts[n] = other.counts[j--];
                }
            }
            // What is left of this sketch's front (i >= 0) is in place already, right before position n only if
            // nothing was combined; close the gap that combined buckets left.
            int front = i + 1;
            if (n > front) {
                System.arraycopy(indexes, n, indexes, front, capacity - n);
                System.arraycopy(counts, n, counts, front, capacity - n);
            }
            size = front + (capacity - n);
        }
        totalCount += other.totalCount;
        maxUnits = Math.max(maxUnits, other.maxUnits);
    }

    /** A new sketch of all the values of {@code sketches} (which are unchanged). */
    public static LatencySketch mergeOf(List<LatencySketch> sketches) {
        int buckets = 0;
        for (LatencySketch s : sketches) {
            buckets += s.size;
        }
        LatencySketch all = new LatencySketch();
        all.indexes = new int[Math.max(buckets, 4)];
        all.counts = new long[Math.max(buckets, 4)];
        for (LatencySketch s : sketches) {
            all.merge(s);
        }
        return all;
    }

    /** Number of values recorded. */
    public long totalCount() {
        return totalCount;
    }

    public boolean isEmpty() {
        return totalCount == 0;
    }

    /** Number of non-empty buckets (the sketch's size in memory and on the wire is proportional to it). */
    public int bucketCount() {
        return size;
    }

    /** The largest recorded value in µs (exact up to the 1 ns recording unit); NaN when empty. */
    public double maxMicros() {
        return maxUnits < 0 ? Double.NaN : (double) maxUnits / UNITS_PER_US;
    }

    /**
     * The nearest-rank percentile in µs: the smallest recorded value such that at least {@code percentile} % of
     * all values are at or below it, reported as the highest value of its bucket but not above the maximum
     * (see the class comment for the precision). NaN when empty.
     *
     * @param percentile 0 to 100
     */
    public double percentileMicros(double percentile) {
        if (totalCount == 0) {
            return Double.NaN;
        }
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be within 0-100, got " + percentile);
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * totalCount));
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (double) Math.min(highestValueOf(indexes[i]), maxUnits) / UNITS_PER_US;
            }
        }
        return (double) maxUnits / UNITS_PER_US;
    }

    /** A deep copy. */
    public LatencySketch copy() {
        LatencySketch c = new LatencySketch();
        c.copyFrom(this);
        return c;
    }

    void copyFrom(LatencySketch from) {
        indexes = from.size == 0 ? NO_INDEXES : Arrays.copyOf(from.indexes, from.size);
        counts = from.size == 0 ? NO_COUNTS : Arrays.copyOf(from.counts, from.size);
        size = from.size;
        totalCount = from.totalCount;
        maxUnits = from.maxUnits;
    }

    // ---- bucket arithmetic (HdrHistogram's, for 3 significant digits and a lowest discernible value of 1) ----

    /** The bucket of a value in units: exact below {@link #LINEAR_LIMIT}, then 1024 buckets per power of two. */
    static int bucketIndex(long units) {
        int shift = Math.max(0, 63 - Long.numberOfLeadingZeros(units) - SUB_BUCKET_HALF_BITS);
        return (shift << SUB_BUCKET_HALF_BITS) + (int) (units >>> shift);
    }

    /** The smallest value (units) that falls into bucket {@code index}. */
    static long lowestValueOf(int index) {
        if (index < LINEAR_LIMIT) {
            return index;
        }
        int shift = (index >>> SUB_BUCKET_HALF_BITS) - 1;
        long sub = index - ((long) shift << SUB_BUCKET_HALF_BITS);
        return sub << shift;
    }

    /** The largest value (units) that falls into bucket {@code index}. */
    static long highestValueOf(int index) {
        if (index < LINEAR_LIMIT) {
            return index;
        }
        int shift = (index >>> SUB_BUCKET_HALF_BITS) - 1;
        return lowestValueOf(index) + (1L << shift) - 1;
    }

    // ---- access for the serializer ----

    int size() {
        return size;
    }

    int indexAt(int i) {
        return indexes[i];
    }

    long countAt(int i) {
        return counts[i];
    }

    long maxUnits() {
        return maxUnits;
    }

    /** Rebuilds a sketch from its buckets (ascending, distinct indexes) and its maximum. */
    static LatencySketch of(int[] indexes, long[] counts, int size, long maxUnits) {
        LatencySketch s = new LatencySketch();
        s.indexes = indexes;
        s.counts = counts;
        s.size = size;
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += counts[i];
        }
        s.totalCount = total;
        s.maxUnits = maxUnits;
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LatencySketch other) || size != other.size || totalCount != other.totalCount
                || maxUnits != other.maxUnits) {
            return false;
        }
        return Arrays.equals(indexes, 0, size, other.indexes, 0, size)
                && Arrays.equals(counts, 0, size, other.counts, 0, size);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(totalCount) * 31 + Long.hashCode(maxUnits);
        for (int i = 0; i < size; i++) {
            h = h * 31 + indexes[i];
            h = h * 31 + Long.hashCode(counts[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return totalCount == 0 ? "LatencySketch{empty}"
                : "LatencySketch{n=" + totalCount + ", buckets=" + size + ", p50=" + percentileMicros(50)
                + "us, p99=" + percentileMicros(99) + "us, max=" + maxMicros() + "us}";
    }
}
