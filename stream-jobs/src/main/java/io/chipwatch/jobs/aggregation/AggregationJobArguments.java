package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.launch.JobArguments;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The command line of the {@link AggregationJob}, built from typed values with the option names it parses
 * ({@link AggregationJobOptions}): {@code new AggregationJobArguments().bootstrapServers(..).influxUrl(..)
 * .arguments()} for a launcher, {@link #build()} for the configuration itself. Plain Java (no Flink, no picocli).
 */
public final class AggregationJobArguments extends JobArguments<AggregationJobArguments> {
    public static final String DEAD_LETTER_TOPIC = "--dead-letter-topic";
    public static final String WINDOW_SECONDS = "--window-seconds";
    public static final String CLUSTER_NAME = "--cluster-name";
    public static final String CHIPS = "--chips";
    public static final String MAX_FUTURE_MS = "--max-future-ms";
    public static final String RAW_RETENTION_DAYS = "--raw-retention-days";
    public static final String CAPACITY_1M_RETENTION_DAYS = "--capacity-1m-retention-days";
    public static final String CAPACITY_1H_RETENTION_DAYS = "--capacity-1h-retention-days";
    public static final String LINK_DETAIL_INTERVAL_MS = "--link-detail-interval-ms";
    public static final String LINK_UNHEALTHY_RATIO = "--link-unhealthy-ratio";

    @Override
    protected AggregationJobArguments self() {
        return this;
    }

    public AggregationJobArguments deadLetterTopic(String topic) {
        return set(DEAD_LETTER_TOPIC, topic);
    }

    /** Tumbling window size, a whole number of seconds. */
    public AggregationJobArguments windowSize(Duration size) {
        return set(WINDOW_SECONDS, in(size, ChronoUnit.SECONDS));
    }

    public AggregationJobArguments clusterName(String name) {
        return set(CLUSTER_NAME, name);
    }

    /** Accept only the chips of the default-shape topology of this size; 0 for any chip id. */
    public AggregationJobArguments chips(int chips) {
        return set(CHIPS, chips);
    }

    public AggregationJobArguments maxFuture(Duration maxFuture) {
        return set(MAX_FUTURE_MS, in(maxFuture, ChronoUnit.MILLIS));
    }

    public AggregationJobArguments rawRetention(Duration retention) {
        return set(RAW_RETENTION_DAYS, in(retention, ChronoUnit.DAYS));
    }

    public AggregationJobArguments capacity1mRetention(Duration retention) {
        return set(CAPACITY_1M_RETENTION_DAYS, in(retention, ChronoUnit.DAYS));
    }

    public AggregationJobArguments capacity1hRetention(Duration retention) {
        return set(CAPACITY_1H_RETENTION_DAYS, in(retention, ChronoUnit.DAYS));
    }

    /** How often every link gets a {@code link} point; a multiple of the window size. */
    public AggregationJobArguments linkDetailInterval(Duration interval) {
        return set(LINK_DETAIL_INTERVAL_MS, in(interval, ChronoUnit.MILLIS));
    }

    /** Multiple of a link kind's nominal latency from which a link gets a point in every window. */
    public AggregationJobArguments linkUnhealthyRatio(double ratio) {
        return set(LINK_UNHEALTHY_RATIO, ratio);
    }

    /**
     * The configuration these arguments give, parsed as {@code main} parses them.
     *
     * @throws IllegalArgumentException naming the option of a missing or invalid value and what to pass
     */
    public AggregationJobConfig build() {
        List<String> args = arguments();
        return AggregationJobConfig.fromArgs(args.toArray(String[]::new));
    }
}
