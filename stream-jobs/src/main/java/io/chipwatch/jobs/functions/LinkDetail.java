package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.model.sample.LinkKind;

import java.io.Serializable;

/**
 * Which of a chip window's link rows become {@code link} points (CONTRACTS.md §3). Every chip point carries its
 * links' latency summary each window; per-link detail is kept at a coarser interval, and wherever a link is unhealthy:
 * <ul>
 *   <li>every link's row of each window that starts on a multiple of {@code intervalMillis} (epoch-aligned: with the
 *       default one minute, the window at :00 of each minute);</li>
 *   <li>and, in any window, the row of a link that is unhealthy in it: its {@code latency_us_max} is at least
 *       {@code unhealthyRatio} times the nominal latency of its kind ({@value #INTRA_NOMINAL_US} µs intra,
 *       {@value #FABRIC_NOMINAL_US} µs fabric; {@code latency_us_p99} is never above the max), or it has fewer
 *       readings than the chip has samples in the window (readings missing).</li>
 * </ul>
 * With the defaults (one minute, x4) a healthy link is written once a minute instead of six times: communication
 * phases (up to x2.6) and single microbursts (x1.5-3) stay below the threshold, a degraded link (x5 and more) or a
 * flapping one is written every window.
 *
 * @param intervalMillis how often every link is written; a positive multiple of the window size
 * @param unhealthyRatio multiple of the nominal latency from which a window's row is always written; above 1
 */
public record LinkDetail(long intervalMillis, double unhealthyRatio) implements Serializable {
    /** Nominal latency of an intra-node link, µs (detection's prior baseline too). */
    public static final double INTRA_NOMINAL_US = 1.9;
    /** Nominal latency of a fabric link, µs. */
    public static final double FABRIC_NOMINAL_US = 3.8;
    /** Default of {@code --link-detail-interval-ms}. */
    public static final long DEFAULT_INTERVAL_MILLIS = 60_000;
    /** Default of {@code --link-unhealthy-ratio}. */
    public static final double DEFAULT_UNHEALTHY_RATIO = 4.0;

    public LinkDetail {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("link detail interval must be positive, got " + intervalMillis);
        }
        if (!(unhealthyRatio > 1) || Double.isInfinite(unhealthyRatio)) {
            throw new IllegalArgumentException("unhealthy ratio must be a finite number above 1, got " + unhealthyRatio);
        }
    }

    /** Whether the row {@code link}, of a chip with {@code chipSamples} samples in the window, is written. */
    public boolean keep(LinkWindow link, long chipSamples) {
        return Math.floorMod(link.windowStart(), intervalMillis) == 0 || unhealthy(link, chipSamples);
    }

    /** Whether the link is unhealthy in the window: latency far above nominal, or readings missing. */
    public boolean unhealthy(LinkWindow link, long chipSamples) {
        return link.samples() < chipSamples || link.latencyUsMax() >= unhealthyRatio * nominalUs(link.kind());
    }

    /** Nominal latency of a link of kind {@code kind} (its label), µs. */
    static double nominalUs(String kind) {
        return LinkKind.FABRIC.label().equals(kind) ? FABRIC_NOMINAL_US : INTRA_NOMINAL_US;
    }
}
