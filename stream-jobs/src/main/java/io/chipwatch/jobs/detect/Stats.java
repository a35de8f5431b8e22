package io.chipwatch.jobs.detect;

import java.util.Arrays;

/** Small robust statistics the detectors share; allocation-light, no state. */
public final class Stats {
    /** Scale factor turning a median absolute deviation into a normal standard deviation. */
    public static final double MAD_TO_SIGMA = 1.4826;

    private Stats() {
    }

    /** Median of the first {@code n} values (reorders them); NaN when {@code n == 0}. */
    public static double median(double[] values, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(values, 0, n);
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }

    /** Median absolute deviation of the first {@code n} values around {@code center} (uses {@code scratch}). */
    public static double mad(double[] values, int n, double center, double[] scratch) {
        for (int i = 0; i < n; i++) {
            scratch[i] = Math.abs(values[i] - center);
        }
        return median(scratch, n);
    }

    /**
     * Least-squares slope of {@code y} over {@code x} for the first {@code n} points, in y units per x unit;
     * NaN when fewer than two distinct x.
     */
    public static double slope(double[] x, double[] y, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
