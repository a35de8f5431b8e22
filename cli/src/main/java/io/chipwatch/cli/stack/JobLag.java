package io.chipwatch.cli.stack;

import io.chipwatch.alerting.pathwatch.TopicOffsets;

import java.util.Map;

/**
 * How far a stream job's consumer group is behind the samples topic: records between its committed offsets (the
 * jobs commit on each completed checkpoint) and the topic's end, and in time of samples, records ÷ the topic's
 * ingest rate (as alerting's path watch judges it, {@code KafkaPath}).
 *
 * @param records   records behind, summed over the partitions the group committed
 * @param ratePerS  records per second entering the topic over the last minute
 */
public record JobLag(long records, double ratePerS) {
    /** Below this ingest rate the lag in time is not judged (the collector is silent: its own alert). */
    public static final double MIN_RATE_PER_S = 1.0;

    /**
     * The lag from the topic's end offsets and the group's committed ones (partition → offset); null when the group
     * committed none (a job that never completed a checkpoint).
     */
    public static JobLag of(Map<Integer, Long> end, Map<Integer, Long> committed, double ratePerS) {
        if (committed.isEmpty()) {
            return null;
        }
        return new JobLag(TopicOffsets.recordsBehind(end, committed), ratePerS);
    }

    /** True while samples flow into the topic (at least {@link #MIN_RATE_PER_S}). */
    public boolean samplesFlow() {
        return ratePerS >= MIN_RATE_PER_S;
    }

    /** Seconds of samples behind; null while no samples flow. */
    public Double seconds() {
        return samplesFlow() ? records / ratePerS : null;
    }
}
