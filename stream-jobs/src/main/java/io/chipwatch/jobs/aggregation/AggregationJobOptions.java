package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.functions.LinkDetail;
import io.chipwatch.jobs.launch.CommonJobOptions;
import io.chipwatch.jobs.launch.JobCommand;
import io.chipwatch.jobs.launch.JobDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

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

/**
 * The options of the {@link AggregationJob} (picocli): the {@link CommonJobOptions} every job takes, with this
 * job's defaults, and its own: dead-letter topic, windows, validation, retention and link detail. {@code --help} lists them.
 */
@Command(name = AggregationJob.JOB_NAME, sortOptions = false, usageHelpWidth = 110,
        description = "Aggregates chip samples from Kafka into 10-second chip, link and roll-up points and 1-minute "
                + "and 1-hour capacity history in InfluxDB; bad and late records go to a dead-letter topic.")
public final class AggregationJobOptions implements JobCommand<AggregationJobConfig> {
    /** This job's defaults of the shared options. */
    static final JobDefaults DEFAULTS = new JobDefaults("chipwatch-aggregation", Duration.ofMillis(2000),
            Duration.ofMillis(10_000), Duration.ZERO);

    @Mixin
    CommonJobOptions common = new CommonJobOptions(DEFAULTS);

    @Option(names = DEAD_LETTER_TOPIC, paramLabel = "NAME", order = 10,
            description = "Topic for rejected records and late samples; it must exist [${DEFAULT-VALUE}].")
    String deadLetterTopic = "chip-samples-dead-letter";

    @Option(names = WINDOW_SECONDS, paramLabel = "N", order = 11,
            description = "Tumbling window size in seconds [${DEFAULT-VALUE}].")
    long windowSeconds = 10;

    @Option(names = CLUSTER_NAME, paramLabel = "NAME", order = 12,
            description = "Value of the cluster tag of the cluster points [${DEFAULT-VALUE}].")
    String clusterName = "chipwatch";

    @Option(names = CHIPS, paramLabel = "N", order = 13,
            description = "Accept only the chip ids of Topology.build(ClusterShape.DEFAULT, N); 0 = any id "
                    + "[${DEFAULT-VALUE}].")
    int chips;

    @Option(names = MAX_FUTURE_MS, paramLabel = "MS", order = 14,
            description = "Reject samples timestamped more than this ahead of the job's clock [${DEFAULT-VALUE}].")
    long maxFutureMs = Duration.ofMinutes(5).toMillis();

    @Option(names = RAW_RETENTION_DAYS, paramLabel = "DAYS", order = 15,
            description = "Duration of retention policy raw_7d (10-second points, the default policy); samples "
                    + "older than this less one hour are rejected as stale [${DEFAULT-VALUE}].")
    long rawRetentionDays = 7;

    @Option(names = CAPACITY_1M_RETENTION_DAYS, paramLabel = "DAYS", order = 16,
            description = "Duration of capacity_90d (1-minute points), at least the raw retention [${DEFAULT-VALUE}].")
    long capacity1mRetentionDays = 90;

    @Option(names = CAPACITY_1H_RETENTION_DAYS, paramLabel = "DAYS", order = 17,
            description = "Duration of capacity_3y (1-hour points), at least the raw retention [${DEFAULT-VALUE}].")
    long capacity1hRetentionDays = 1095;

    @Option(names = LINK_DETAIL_INTERVAL_MS, paramLabel = "MS", order = 18,
            description = "Write every link's point for the windows starting on a multiple of this (a multiple of "
                    + "the window size); other windows only for unhealthy links [${DEFAULT-VALUE}].")
    long linkDetailIntervalMs = LinkDetail.DEFAULT_INTERVAL_MILLIS;

    @Option(names = LINK_UNHEALTHY_RATIO, paramLabel = "X", order = 19,
            description = "A link is unhealthy in a window (and written) when its max latency is at least X times "
                    + "its kind's nominal latency, or readings are missing; above 1 [${DEFAULT-VALUE}].")
    double linkUnhealthyRatio = LinkDetail.DEFAULT_UNHEALTHY_RATIO;

    @Override
    public AggregationJobConfig toConfig() {
        return new AggregationJobConfig(common.settings(), deadLetterTopic, Duration.ofSeconds(windowSeconds),
                clusterName, chips, Duration.ofMillis(maxFutureMs), Duration.ofDays(rawRetentionDays),
                Duration.ofDays(capacity1mRetentionDays), Duration.ofDays(capacity1hRetentionDays),
                Duration.ofMillis(linkDetailIntervalMs), linkUnhealthyRatio);
    }
}
