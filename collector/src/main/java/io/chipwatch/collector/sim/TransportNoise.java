package io.chipwatch.collector.sim;

/**
 * Rates of the transport's imperfections between a chip's exporter and the pipeline ({@link Transport}): samples
 * that arrive late, twice, or never, and nodes whose clock is off. All zero: every sample arrives once, on time,
 * stamped with the true time.
 *
 * @param lateFraction       share of samples delayed, each by a uniform 0.5 s .. {@code lateMaxMillis}
 * @param lateMaxMillis      the longest delay
 * @param duplicateFraction  share of samples delivered a second time (an exporter or producer retry), 0.2-2 s later
 * @param dropFraction       share of samples never delivered
 * @param skewedNodeFraction share of nodes whose clock is off, each by ±{@code clockOffsetMinMillis} ..
 *                           {@code clockOffsetMaxMillis} (drawn once per node); the other nodes' clocks are exact
 * @param clockOffsetMinMillis the smallest offset of a skewed node
 * @param clockOffsetMaxMillis the largest offset of a skewed node
 */
public record TransportNoise(double lateFraction, long lateMaxMillis, double duplicateFraction, double dropFraction,
                             double skewedNodeFraction, long clockOffsetMinMillis, long clockOffsetMaxMillis) {

    /** The defaults: 1 % late by up to 3 s, 0.1 % duplicated, 0.02 % dropped, 5 % of nodes 100-400 ms off. */
    public static final TransportNoise DEFAULT = new TransportNoise(0.01, 3_000, 0.001, 0.0002, 0.05, 100, 400);
    /** A perfect transport. */
    public static final TransportNoise NONE = new TransportNoise(0, 0, 0, 0, 0, 0, 0);

    public TransportNoise {
        requireFraction(lateFraction, "lateFraction");
        requireFraction(duplicateFraction, "duplicateFraction");
        requireFraction(dropFraction, "dropFraction");
        requireFraction(skewedNodeFraction, "skewedNodeFraction");
        if (lateFraction > 0 && lateMaxMillis < 500) {
            throw new IllegalArgumentException("lateMax must be at least 500 ms when samples are late, got "
                    + lateMaxMillis);
        }
        if (clockOffsetMinMillis < 0 || clockOffsetMaxMillis < clockOffsetMinMillis) {
            throw new IllegalArgumentException("need 0 <= clockOffsetMin <= clockOffsetMax, got "
                    + clockOffsetMinMillis + " / " + clockOffsetMaxMillis);
        }
    }

    /** Whether any imperfection is on. */
    public boolean any() {
        return lateFraction > 0 || duplicateFraction > 0 || dropFraction > 0
                || (skewedNodeFraction > 0 && clockOffsetMaxMillis > 0);
    }

    private static void requireFraction(double f, String name) {
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(name + " must be within [0, 1], got " + f);
        }
    }
}
