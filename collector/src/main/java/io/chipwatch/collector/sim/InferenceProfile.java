package io.chipwatch.collector.sim;

/**
 * A serving job: utilisation follows request load, modelled as a slow sinusoidal swing around a mean with
 * bursty per-sample noise; link latency rises mildly with load.
 *
 * <p>With workload phases on, the power per utilisation point follows the request mix: prefill (compute-bound,
 * factor near 1) against decode (memory-bound, factor near 0.55), as a slow swing of period {@code mixPeriodMillis}
 * plus a per-second draw, so power moves while utilisation does not.
 *
 * @param meanUtil        mean utilisation, percent
 * @param swingUtil       amplitude of the slow swing, percentage points
 * @param periodMillis    period of the swing
 * @param phase           phase of the swing at the job's start, radians
 * @param mixPeriodMillis period of the prefill/decode mix's swing
 * @param mixSalt         key of the per-second draws of the mix
 */
public record InferenceProfile(double meanUtil, double swingUtil, long periodMillis, double phase,
                               long mixPeriodMillis, long mixSalt) implements JobProfile {

    /** Power factor of a pure decode load (memory-bound) and of a pure prefill load (compute-bound). */
    static final double DECODE_POWER_FACTOR = 0.55, PREFILL_POWER_FACTOR = 0.95;

    public InferenceProfile {
        if (periodMillis < 1 || mixPeriodMillis < 1) {
            throw new IllegalArgumentException("periodMillis and mixPeriodMillis must be positive, got "
                    + periodMillis + " / " + mixPeriodMillis);
        }
    }

    /** A profile whose power per utilisation point never moves. */
    public InferenceProfile(double meanUtil, double swingUtil, long periodMillis, double phase) {
        this(meanUtil, swingUtil, periodMillis, phase, 60_000, 0);
    }

    @Override
    public void demandAt(long elapsedMillis, Demand out, boolean phases, boolean lookalikes) {
        double util = meanUtil + swingUtil * Math.sin(2 * Math.PI * elapsedMillis / periodMillis + phase);
        double powerFactor = 1.0;
        if (phases) {
            double slow = 0.5 + 0.5 * Math.sin(2 * Math.PI * elapsedMillis / mixPeriodMillis);
            double second = (Noise.mix(mixSalt + Math.floorDiv(elapsedMillis, 1000L)) >>> 11) * 0x1.0p-53;
            double prefillShare = 0.6 * slow + 0.4 * second;
            powerFactor = DECODE_POWER_FACTOR + (PREFILL_POWER_FACTOR - DECODE_POWER_FACTOR) * prefillShare;
        }
        out.set(util, 4.0, 1.0 + 0.2 * util / 100.0, 1.0 + 0.4 * util / 100.0, powerFactor);
    }
}
