package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.functions.LinkDetail;
import io.chipwatch.jobs.functions.SampleValidator;
import io.chipwatch.jobs.launch.JobCommandLine;
import io.chipwatch.jobs.launch.JobConfig;
import io.chipwatch.jobs.launch.JobOptionNames;
import io.chipwatch.jobs.launch.JobSettings;
import io.chipwatch.jobs.sink.influx.RetentionPolicySpec;
import io.chipwatch.model.topology.ClusterShape;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.chipwatch.jobs.aggregation.AggregationJobArguments.CAPACITY_1H_RETENTION_DAYS;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.CAPACITY_1M_RETENTION_DAYS;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.CHIPS;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.CLUSTER_NAME;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.DEAD_LETTER_TOPIC;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.LINK_DETAIL_INTERVAL_MS;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.LINK_UNHEALTHY_RATIO;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.MAX_FUTURE_MS;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.RAW_RETENTION_DAYS;
import static io.chipwatch.jobs.aggregation.AggregationJobArguments.WINDOW_SECONDS;
import static io.chipwatch.jobs.launch.OptionChecks.days;
import static io.chipwatch.jobs.launch.OptionChecks.invalid;
import static io.chipwatch.jobs.launch.OptionChecks.nonNegative;
import static io.chipwatch.jobs.launch.OptionChecks.required;

/**
 * Settings of the {@link AggregationJob}, validated; every invalid or missing value is an
 * {@link IllegalArgumentException} naming the option and how to fix it. Parsed from the command line with
 * {@link #fromArgs} (the options, their meaning and defaults: {@link AggregationJobOptions}, or {@code --help}), or
 * built with {@link #builder()}, which writes those arguments and parses them.
 *
 * @param job                 what every job takes; the InfluxDB URL is required here
 * @param deadLetterTopic     topic of rejected records and late samples
 * @param windowSize          size of the tumbling event-time windows
 * @param clusterName         value of the {@code cluster} tag of {@code cluster} points
 * @param chips               size of the topology whose chip ids are accepted, or 0 for any id
 * @param maxFuture           how far ahead of the job's clock a sample may be timestamped
 * @param rawRetention        retention of the 10-second points (policy {@value #RAW_POLICY})
 * @param capacity1mRetention retention of the 1-minute capacity points (policy {@value #CAPACITY_1M_POLICY})
 * @param capacity1hRetention retention of the 1-hour capacity points (policy {@value #CAPACITY_1H_POLICY})
 * @param linkDetailInterval  every link is written for the windows that start on a multiple of this
 *                            ({@link LinkDetail}); a multiple of the window size
 * @param linkUnhealthyRatio  multiple of a link kind's nominal latency from which a link is written every window
 */
public record AggregationJobConfig(JobSettings job, String deadLetterTopic, Duration windowSize, String clusterName,
                                   int chips, Duration maxFuture, Duration rawRetention, Duration capacity1mRetention,
                                   Duration capacity1hRetention, Duration linkDetailInterval,
                                   double linkUnhealthyRatio) implements JobConfig {
    /** Retention policy of the 10-second points; the database's default policy. */
    public static final String RAW_POLICY = "raw_7d";
    /** Retention policy of the 1-minute capacity points. */
    public static final String CAPACITY_1M_POLICY = "capacity_90d";
    /** Retention policy of the 1-hour capacity points. */
    public static final String CAPACITY_1H_POLICY = "capacity_3y";

    /** How much younger than the raw retention a sample must be: its points must still be accepted when written. */
    static final Duration STALE_MARGIN = Duration.ofHours(1);

    public AggregationJobConfig {
        if (job.influxUrl().isEmpty()) {
            throw new IllegalArgumentException(JobOptionNames.INFLUX_URL + " is required; pass the InfluxDB base URL, "
                    + "e.g. " + JobOptionNames.INFLUX_URL + " http://127.0.0.1:8086");
        }
        deadLetterTopic = required(deadLetterTopic, DEAD_LETTER_TOPIC, "a topic name, e.g. " + DEAD_LETTER_TOPIC
                + " chip-samples-dead-letter");
        if (windowSize.toMillis() <= 0 || windowSize.toMillis() % 1000 != 0) {
            throw invalid(WINDOW_SECONDS, windowSize.toSeconds(), "a positive whole number of seconds, e.g. "
                    + WINDOW_SECONDS + " 10");
        }
        clusterName = required(clusterName, CLUSTER_NAME, "a name for the cluster tag, e.g. " + CLUSTER_NAME
                + " chipwatch");
        if (chips < 0 || chips % ClusterShape.DEFAULT.chipsPerNode() != 0) {
            throw invalid(CHIPS, chips, "a multiple of " + ClusterShape.DEFAULT.chipsPerNode() + " (whole nodes), e.g. "
                    + CHIPS + " 10000, or 0 to accept any chip id");
        }
        nonNegative(maxFuture, MAX_FUTURE_MS, "e.g. " + MAX_FUTURE_MS + " 300000");
        days(rawRetention, RAW_RETENTION_DAYS, 1);
        days(capacity1mRetention, CAPACITY_1M_RETENTION_DAYS, rawRetention.toDays());
        days(capacity1hRetention, CAPACITY_1H_RETENTION_DAYS, rawRetention.toDays());
        if (linkDetailInterval.toMillis() <= 0 || linkDetailInterval.toMillis() % windowSize.toMillis() != 0) {
            throw invalid(LINK_DETAIL_INTERVAL_MS, linkDetailInterval.toMillis(), "a positive multiple of the window "
                    + "size (" + windowSize.toMillis() + " ms), e.g. " + LINK_DETAIL_INTERVAL_MS + " 60000");
        }
        if (!(linkUnhealthyRatio > 1) || Double.isInfinite(linkUnhealthyRatio)) {
            throw invalid(LINK_UNHEALTHY_RATIO, linkUnhealthyRatio, "a number above 1, e.g. " + LINK_UNHEALTHY_RATIO
                    + " 4");
        }
    }

    /** Which link rows become {@code link} points. */
    public LinkDetail linkDetail() {
        return new LinkDetail(linkDetailInterval.toMillis(), linkUnhealthyRatio);
    }

    /** A builder of the job's arguments; {@link AggregationJobArguments#build()} parses them into a config. */
    public static AggregationJobArguments builder() {
        return new AggregationJobArguments();
    }

    /**
     * Parses {@code --option value} arguments as {@code main} does.
     *
     * @throws IllegalArgumentException for an unknown option, a value that does not parse or is out of range, or a
     *                                  missing required option; the message names the option and the fix
     */
    public static AggregationJobConfig fromArgs(String... args) {
        return JobCommandLine.parse(new AggregationJobOptions(), List.of(args));
    }

    /** InfluxDB base URL (required by this job). */
    public String influxUrl() {
        return job.influxUrl().orElseThrow();
    }

    /**
     * The policies the sinks create: {@value #RAW_POLICY} (default), {@value #CAPACITY_1M_POLICY} and
     * {@value #CAPACITY_1H_POLICY}, with the configured durations (the names stay, whatever the durations).
     */
    public List<RetentionPolicySpec> retentionPolicies() {
        return List.of(new RetentionPolicySpec(RAW_POLICY, rawRetention, true),
                new RetentionPolicySpec(CAPACITY_1M_POLICY, capacity1mRetention, false),
                new RetentionPolicySpec(CAPACITY_1H_POLICY, capacity1hRetention, false));
    }

    /** The oldest a sample may be: the raw retention less {@link #STALE_MARGIN}. */
    public Duration maxSampleAge() {
        return rawRetention.minus(STALE_MARGIN);
    }

    /** The checks every decoded sample must pass, against the system clock. */
    public SampleValidator sampleValidator() {
        return new SampleValidator(Clock.systemUTC(), maxFuture, maxSampleAge(), chips);
    }
}
