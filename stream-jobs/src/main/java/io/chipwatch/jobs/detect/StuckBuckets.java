package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.detect.StuckSensorDetector.Track;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The stuck-sensor detector's window of a chip, counted in {@value #BUCKETS} buckets of a twelfth of the window each:
 * per bucket, the chip's reading changes and readings (what its node peers' flicker is read from) and the range of
 * its expected temperature (how far its model swings within seconds). The buckets are a ring in the chip's
 * {@link Track}: a slot is reset when a new bucket comes round to it.
 */
final class StuckBuckets implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Buckets a window is counted in. */
    static final int BUCKETS = 12;

    private final long bucketMillis;

    /** Buckets of a window of {@code windowSeconds}. */
    StuckBuckets(double windowSeconds) {
        this.bucketMillis = Math.max(1, Math.round(windowSeconds * 1000 / BUCKETS));
    }

    /** How long a bucket is, ms. */
    long bucketMillis() {
        return bucketMillis;
    }

    /** A slot array of {@value #BUCKETS} unknown values (NaN). */
    static double[] unknown() {
        double[] values = new double[BUCKETS];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    /** Counts one in-order, non-suspect reading at {@code ts} (and whether it changed) into the chip's ring. */
    void count(Track t, long ts, boolean changed) {
        long bucket = ts / bucketMillis;
        int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
        if (t.bucketOf[slot] != bucket) {
            t.bucketOf[slot] = bucket;
            t.changes[slot] = 0;
            t.readings[slot] = 0;
            t.expectedLow[slot] = Double.NaN;
            t.expectedHigh[slot] = Double.NaN;
        }
        t.readings[slot]++;
        if (changed) {
            t.changes[slot]++;
        }
    }

    /** A peer's changes and readings over the window ending at {@code ts} (whole buckets): {changes, readings}. */
    int[] counted(Track peer, long ts, long window) {
        long last = ts / bucketMillis;
        long first = last - Math.max(1, window / bucketMillis) + 1;
        int[] sums = new int[2];
        for (int i = 0; i < BUCKETS; i++) {
            if (peer.bucketOf[i] >= first && peer.bucketOf[i] <= last) {
                sums[0] += peer.changes[i];
                sums[1] += peer.readings[i];
            }
        }
        return sums;
    }

    /** Widens the range of the expected temperature of the bucket of {@code ts} (the one {@link #count} opened). */
    void swing(Track t, long ts, double expected) {
        long bucket = ts / bucketMillis;
        int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
        if (t.bucketOf[slot] != bucket) {
            return;
        }
        double low = t.expectedLow[slot];
        t.expectedLow[slot] = Double.isNaN(low) ? expected : Math.min(low, expected);
        double high = t.expectedHigh[slot];
        t.expectedHigh[slot] = Double.isNaN(high) ? expected : Math.max(high, expected);
    }

    /**
     * How far the chip's model swings within a bucket: the median range over the window's complete buckets before
     * the one of {@code ts} (0 when fewer than half of them hold a range).
     */
    double ripple(Track t, long ts, long window) {
        long last = ts / bucketMillis - 1;
        long first = ts / bucketMillis - Math.max(1, window / bucketMillis) + 1;
        double[] ranges = new double[BUCKETS];
        int n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (t.bucketOf[i] >= first && t.bucketOf[i] <= last && !Double.isNaN(t.expectedLow[i])) {
                ranges[n++] = t.expectedHigh[i] - t.expectedLow[i];
            }
        }
        if (n == 0 || 2 * n < last - first + 1) {
            return 0;
        }
        return Stats.median(ranges, n);
    }

    /** The range of the chip's expected temperature over the buckets of the window ending at {@code ts} (0: none). */
    double recentRange(Track t, long ts) {
        long last = ts / bucketMillis;
        long first = last - BUCKETS + 1;
        double low = Double.NaN;
        double high = Double.NaN;
        for (int i = 0; i < BUCKETS; i++) {
            if (t.bucketOf[i] >= first && t.bucketOf[i] <= last && !Double.isNaN(t.expectedLow[i])) {
                low = Double.isNaN(low) ? t.expectedLow[i] : Math.min(low, t.expectedLow[i]);
                high = Double.isNaN(high) ? t.expectedHigh[i] : Math.max(high, t.expectedHigh[i]);
            }
        }
        return Double.isNaN(low) ? 0 : high - low;
    }
}
