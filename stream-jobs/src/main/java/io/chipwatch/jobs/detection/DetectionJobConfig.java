package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.detect.DetectionConfig;
import io.chipwatch.jobs.functions.SampleValidator;
import io.chipwatch.jobs.launch.JobCommandLine;
import io.chipwatch.jobs.launch.JobConfig;
import io.chipwatch.jobs.launch.JobSettings;
import io.chipwatch.model.topology.ClusterShape;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static io.chipwatch.jobs.detection.DetectionJobArguments.ANOMALIES_TOPIC;
import static io.chipwatch.jobs.detection.DetectionJobArguments.CHIPS;
import static io.chipwatch.jobs.detection.DetectionJobArguments.MAX_AGE_MS;
import static io.chipwatch.jobs.detection.DetectionJobArguments.MAX_FUTURE_MS;
import static io.chipwatch.jobs.detection.DetectionJobArguments.TRANSACTIONAL_ID_PREFIX;
import static io.chipwatch.jobs.launch.OptionChecks.invalid;
import static io.chipwatch.jobs.launch.OptionChecks.nonNegative;
import static io.chipwatch.jobs.launch.OptionChecks.required;

/**
 * Settings of the {@link DetectionJob}, validated; every invalid or missing value is an
 * {@link IllegalArgumentException} naming the option (or, for the thresholds, the key of the detection config) and
 * how to fix it. Parsed from the command line with {@link #fromArgs} (the options, their meaning and defaults:
 * {@link DetectionJobOptions}, or {@code --help}), or built with {@link #builder()}, which writes those arguments
 * and parses them.
 *
 * @param job                   what every job takes; without an InfluxDB URL anomalies go to Kafka only
 * @param anomaliesTopic        topic of the anomaly events
 * @param anomalyDelivery       how anomaly events reach that topic
 * @param transactionalIdPrefix prefix of the anomaly sink's Kafka transactions (used with exactly-once delivery)
 * @param detectionConfigFile   the file the thresholds were read from over the defaults, if any
 * @param detection             the detectors' thresholds
 * @param chips                 size of the topology whose chip ids are accepted, or 0 for any id
 * @param maxFuture             how far ahead of the job's clock a sample may be timestamped
 * @param maxAge                how far behind the job's clock a sample may be timestamped
 */
public record DetectionJobConfig(JobSettings job, String anomaliesTopic, AnomalyDelivery anomalyDelivery,
                                 String transactionalIdPrefix,
                                 Optional<Path> detectionConfigFile, DetectionConfig detection, int chips,
                                 Duration maxFuture, Duration maxAge) implements JobConfig {
    /** As the aggregation job's {@code --max-future-ms}. */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);
    /** As the aggregation job's oldest sample by default (raw retention of 7 days less one hour). */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7).minusHours(1);

    public DetectionJobConfig {
        anomaliesTopic = required(anomaliesTopic, ANOMALIES_TOPIC, "a topic name, e.g. " + ANOMALIES_TOPIC
                + " anomalies");
        Objects.requireNonNull(anomalyDelivery, "anomalyDelivery");
        transactionalIdPrefix = required(transactionalIdPrefix, TRANSACTIONAL_ID_PREFIX, "a prefix unique to this "
                + "job, e.g. " + TRANSACTIONAL_ID_PREFIX + " chipwatch-detection");
        Objects.requireNonNull(detection, "detection");
        if (chips < 0 || chips % ClusterShape.DEFAULT.chipsPerNode() != 0) {
            throw invalid(CHIPS, chips, "a multiple of " + ClusterShape.DEFAULT.chipsPerNode() + " (whole nodes), e.g. "
                    + CHIPS + " 10000, or 0 to accept any chip id");
        }
        nonNegative(maxFuture, MAX_FUTURE_MS, "e.g. " + MAX_FUTURE_MS + " 300000");
        nonNegative(maxAge, MAX_AGE_MS, "e.g. " + MAX_AGE_MS + " 601200000");
    }

    /**
     * The aggregation job's checks (CONTRACTS.md, dead-letter reasons), against the system clock: a sample with a
     * skewed or forged timestamp, or a chip outside the topology, is rejected before any detector sees it and never
     * moves event time (the source's timestamp assigner asks the same validator).
     */
    public SampleValidator sampleValidator() {
        return new SampleValidator(Clock.systemUTC(), maxFuture, maxAge, chips);
    }

    /** A builder of the job's arguments; {@link DetectionJobArguments#build()} parses them into a config. */
    public static DetectionJobArguments builder() {
        return new DetectionJobArguments();
    }

    /**
     * Parses {@code --option value} arguments as {@code main} does, loading the detection config named by
     * {@code --detection-config} over the defaults.
     *
     * @throws IllegalArgumentException for an unknown option, a value that does not parse or is out of range, a
     *                                  missing required option, or a bad detection config (naming its key)
     */
    public static DetectionJobConfig fromArgs(String... args) {
        return JobCommandLine.parse(new DetectionJobOptions(), List.of(args));
    }
}
