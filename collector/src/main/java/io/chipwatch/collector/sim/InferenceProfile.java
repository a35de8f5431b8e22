package io.chipwatch.collector.sim;

/**
 * A serving job: utilisation follows request load, modelled as a slow sinusoidal swing around a mean with
 * bursty per-sample noise; link latency rises mildly with load.
 *
 * @param meanUtil     mean utilisation, percent
 * @param swingUtil    amplitude of the slow swing, percentage points
 * @param periodMillis period of the swing
 * @param phase        phase of the swing at the job's start, radians
 */
public record InferenceProfile(double meanUtil, double swingUtil, long periodMillis, double phase)
        implements JobProfile {

    public InferenceProfile {
        if (periodMillis < 1) {
            throw new IllegalArgumentException("periodMillis must be positive, got " + periodMillis);
        }
    }

    @Override
    public void demandAt(long elapsedMillis, Demand out) {
        double util = meanUtil + swingUtil * Math.sin(2 * Math.PI * elapsedMillis / periodMillis + phase);
        out.set(util, 4.0, 1.0 + 0.2 * util / 100.0, 1.0 + 0.4 * util / 100.0);
    }
}
