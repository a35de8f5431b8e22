package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.launch.JobArguments;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
    public static final String CHIPS = "--chips";
    public static final String MAX_FUTURE_MS = "--max-future-ms";
    public static final String MAX_AGE_MS = "--max-age-ms";

    /** A bound on sample timestamps wide enough for any replay of simulated time ({@link #anyTime()}). */
    public static final Duration ANY_TIME = Duration.ofDays(365L * 100);

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

    /** Accept only the chips of the default-shape topology of this size; 0 for any chip id. */
    public DetectionJobArguments chips(int chips) {
        return set(CHIPS, chips);
    }

    /** Reject samples timestamped more than this ahead of the job's clock. */
    public DetectionJobArguments maxFuture(Duration maxFuture) {
        return set(MAX_FUTURE_MS, in(maxFuture, ChronoUnit.MILLIS));
    }

    /** Reject samples timestamped more than this behind the job's clock. */
    public DetectionJobArguments maxAge(Duration maxAge) {
        return set(MAX_AGE_MS, in(maxAge, ChronoUnit.MILLIS));
    }

    /** Accept samples of any time: a replay of simulated time (eval, tests), possibly far in the past. */
    public DetectionJobArguments anyTime() {
        return maxFuture(ANY_TIME).maxAge(ANY_TIME);
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
