package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.launch.JobArguments;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of the {@link DetectionJob}, built from typed values with the option names it parses
 * ({@link DetectionJobOptions}): {@code new DetectionJobArguments().bootstrapServers(..).arguments()} for a launcher
 * (the local stack, eval), {@link #build()} for the configuration itself. Plain Java (no Flink, no picocli).
 */
public final class DetectionJobArguments extends JobArguments<DetectionJobArguments> {
    public static final String ANOMALIES_TOPIC = "--anomalies-topic";
    public static final String ANOMALY_DELIVERY = "--anomaly-delivery";
    public static final String TRANSACTIONAL_ID_PREFIX = "--transactional-id-prefix";
    public static final String DETECTION_CONFIG = "--detection-config";

    @Override
    protected DetectionJobArguments self() {
        return this;
    }

    public DetectionJobArguments anomaliesTopic(String topic) {
        return set(ANOMALIES_TOPIC, topic);
    }

    /** How anomaly events reach Kafka: as soon as decided (default) or in checkpoint-committed transactions. */
    public DetectionJobArguments anomalyDelivery(AnomalyDelivery delivery) {
        return set(ANOMALY_DELIVERY, delivery == null ? null : delivery.label());
    }

    /** Prefix of the anomaly sink's Kafka transactions (with exactly-once delivery); unique per job. */
    public DetectionJobArguments transactionalIdPrefix(String prefix) {
        return set(TRANSACTIONAL_ID_PREFIX, prefix);
    }

    /** YAML thresholds overriding detection.yaml's defaults; {@code null} for the defaults. */
    public DetectionJobArguments detectionConfigFile(Path file) {
        return set(DETECTION_CONFIG, file);
    }

    /**
     * The configuration these arguments give, parsed as {@code main} parses them.
     *
     * @throws IllegalArgumentException naming the option of a missing or invalid value and what to pass
     */
    public DetectionJobConfig build() {
        List<String> args = arguments();
        return DetectionJobConfig.fromArgs(args.toArray(String[]::new));
    }
}
