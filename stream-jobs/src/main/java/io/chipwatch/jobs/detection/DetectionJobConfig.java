package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.detect.DetectionConfig;
import io.chipwatch.jobs.launch.JobCommandLine;
import io.chipwatch.jobs.launch.JobConfig;
import io.chipwatch.jobs.launch.JobSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static io.chipwatch.jobs.detection.DetectionJobArguments.ANOMALIES_TOPIC;
import static io.chipwatch.jobs.detection.DetectionJobArguments.TRANSACTIONAL_ID_PREFIX;
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
 */
public record DetectionJobConfig(JobSettings job, String anomaliesTopic, AnomalyDelivery anomalyDelivery,
                                 String transactionalIdPrefix,
                                 Optional<Path> detectionConfigFile, DetectionConfig detection) implements JobConfig {
    public DetectionJobConfig {
        anomaliesTopic = required(anomaliesTopic, ANOMALIES_TOPIC, "a topic name, e.g. " + ANOMALIES_TOPIC
                + " anomalies");
        Objects.requireNonNull(anomalyDelivery, "anomalyDelivery");
        transactionalIdPrefix = required(transactionalIdPrefix, TRANSACTIONAL_ID_PREFIX, "a prefix unique to this "
                + "job, e.g. " + TRANSACTIONAL_ID_PREFIX + " chipwatch-detection");
        Objects.requireNonNull(detection, "detection");
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
