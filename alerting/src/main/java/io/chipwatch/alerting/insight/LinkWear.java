package io.chipwatch.alerting.insight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Link wear (docs/INSIGHTS.md): a link whose latency baseline creeps up over hours or days while staying under the
 * degradation threshold, so it can be replaced before it fails. Judged on the link's hourly median latencies
 * ({@link LinkHour}) over the history:
 * <ul>
 *   <li>{@code slope} = the Theil–Sen estimator, the median of the slopes between every pair of hours (µs/h): robust
 *       to a few bad hours (a glitch, a short degradation);</li>
 *   <li>{@code start} = the median of {@code y_i − slope·x_i} (the trend's level at the first hour, x in hours from
 *       it), {@code now} = {@code start + slope·span} (its level at the last hour);</li>
 *   <li>{@code rise} = 100 × (now − start) ÷ start (%).</li>
 * </ul>
 * A link is <b>wearing</b> when it has at least {@link Policy#minHours()} hours, its rise is at least
 * {@link Policy#minRisePct()}, and {@code now ÷ start} stays under {@link Policy#degradedRatio()} (at or above it, the
 * link is degraded, which the detection job reports itself). The anomaly it makes is {@code link_wear}, severity
 * info: for the record, never a page.
 */
public final class LinkWear {

    /**
     * When a link is wearing.
     *
     * @param history       hours judged, back from the check; default 48 h
     * @param minHours      hourly medians needed, at least 3; default 24
     * @param minRisePct    rise of the trend over the history that counts as wear (%); default 20
     * @param degradedRatio at or above this multiple of its start the link is degraded, not wearing: the detection
     *                      job's {@code link.highRatio} (default 4)
     */
    public record Policy(Duration history, int minHours, double minRisePct, double degradedRatio) {
        public static final Policy DEFAULT = new Policy(Duration.ofHours(48), 24, 20, 4);

        public Policy {
            if (history.toHours() < 3) {
                throw new IllegalArgumentException("the wear history must be at least 3 h, not " + history);
            }
            if (minHours < 3) {
                throw new IllegalArgumentException("at least 3 hours are needed for a trend, not " + minHours);
            }
            if (!(minRisePct > 0) || !(degradedRatio > 1)) {
                throw new IllegalArgumentException("the rise must be positive and the degraded ratio above 1");
            }
        }
    }

    /**
     * A wearing link.
     *
     * @param link        link id
     * @param hours       hourly medians judged
     * @param startUs     the trend's level at the first hour (µs)
     * @param nowUs       the trend's level at the last hour (µs)
     * @param slopeUsPerH the trend (µs per hour)
     * @param risePct     100 × (now − start) ÷ start
     * @param lastMillis  start of the last hour judged
     */
    public record Wearing(String link, int hours, double startUs, double nowUs, double slopeUsPerH, double risePct,
                          long lastMillis) {
    }

    private LinkWear() {
    }

    /** The wearing links among {@code hoursByLink}, the fastest rise first. */
    public static List<Wearing> find(Map<String, List<LinkHour>> hoursByLink, Policy policy) {
        List<Wearing> out = new ArrayList<>();
        for (Map.Entry<String, List<LinkHour>> e : hoursByLink.entrySet()) {
            List<LinkHour> hours = e.getValue().stream().filter(h -> Double.isFinite(h.medianUs()))
                    .sorted(Comparator.comparingLong(LinkHour::hourMillis)).toList();
            if (hours.size() < policy.minHours()) {
                continue;
            }
            long t0 = hours.get(0).hourMillis();
            double[] x = new double[hours.size()];
            double[] y = new double[hours.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (hours.get(i).hourMillis() - t0) / 3_600_000.0;
                y[i] = hours.get(i).medianUs();
            }
            double slope = theilSen(x, y);
            double[] residual = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                residual[i] = y[i] - slope * x[i];
            }
            double start = median(residual);
            double now = start + slope * x[x.length - 1];
            if (!(start > 0)) {
                continue;
            }
            double rise = 100 * (now - start) / start;
            if (rise >= policy.minRisePct() && now / start < policy.degradedRatio()) {
                out.add(new Wearing(e.getKey(), x.length, start, now, slope, rise,
                        hours.get(hours.size() - 1).hourMillis()));
            }
        }
        out.sort(Comparator.comparingDouble(Wearing::risePct).reversed().thenComparing(Wearing::link));
        return out;
    }

    /** The Theil–Sen slope: the median of {@code (y_j − y_i) ÷ (x_j − x_i)} over the pairs with {@code x_i < x_j}. */
    static double theilSen(double[] x, double[] y) {
        double[] slopes = new double[x.length * (x.length - 1) / 2];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                if (x[j] != x[i]) {
                    slopes[n++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        return median(Arrays.copyOf(slopes, n));
    }

    /** The median (the mean of the two middle values of an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
