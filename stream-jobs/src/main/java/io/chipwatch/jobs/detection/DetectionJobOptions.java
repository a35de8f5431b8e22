package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.detect.DetectionConfig;
import io.chipwatch.jobs.launch.CommonJobOptions;
import io.chipwatch.jobs.launch.JobCommand;
import io.chipwatch.jobs.launch.JobDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static io.chipwatch.jobs.detection.DetectionJobArguments.ANOMALIES_TOPIC;
import static io.chipwatch.jobs.detection.DetectionJobArguments.ANOMALY_DELIVERY;
import static io.chipwatch.jobs.detection.DetectionJobArguments.CHIPS;
import static io.chipwatch.jobs.detection.DetectionJobArguments.DETECTION_CONFIG;
import static io.chipwatch.jobs.detection.DetectionJobArguments.MAX_AGE_MS;
import static io.chipwatch.jobs.detection.DetectionJobArguments.MAX_FUTURE_MS;
import static io.chipwatch.jobs.detection.DetectionJobArguments.TRANSACTIONAL_ID_PREFIX;

/**
 * The options of the {@link DetectionJob} (picocli): the {@link CommonJobOptions} every job takes, with this job's
 * defaults ({@code --influx-url} optional: without it, no InfluxDB sink and no self-metrics), and its own: the
 * anomalies topic, how events reach it, its transactions and the thresholds. {@code --help} lists them.
 */
@Command(name = DetectionJob.JOB_NAME, sortOptions = false, usageHelpWidth = 110,
        description = "Detects the faults of the catalogue in chip samples from Kafka; each anomaly is published, "
                + "as soon as it is decided, to the anomalies topic (and InfluxDB's anomaly measurement).")
public final class DetectionJobOptions implements JobCommand<DetectionJobConfig> {
    /**
     * This job's defaults of the shared options. Within a partition a collector writes samples in time order (a tick
     * at a time), and watermarks are per partition: the out-of-orderness only covers collectors whose clocks or
     * ticks differ a little. Every 100 ms of it delays each silence check by up to a sampling interval, so it stays
     * under half a second: with 400 ms a chip_down is known one sample after the silence timeout, with 1 s two
     * samples after. The tick quiet (100 ms) moves the watermark up to a tick as soon as its burst of samples is
     * over rather than when the next tick arrives: a silence is decided about a sampling interval sooner. Checkpoints
     * every 10 s, like the aggregation job's: anomalies are sent as soon as they are
     * decided ({@link AnomalyDelivery#AT_LEAST_ONCE}), so the interval only bounds how much a restart replays. Each
     * checkpoint copies every detector's state: at 2 s they were over a quarter of the job's CPU (docs/PERFORMANCE.md).
     */
    static final JobDefaults DEFAULTS = new JobDefaults("chipwatch-detection", Duration.ofMillis(400),
            Duration.ofMillis(10_000), Duration.ofMillis(100));

    @Mixin
    CommonJobOptions common = new CommonJobOptions(DEFAULTS);

    @Option(names = ANOMALIES_TOPIC, paramLabel = "NAME", order = 10,
            description = "Topic the anomaly events go to [${DEFAULT-VALUE}].")
    String anomaliesTopic = "anomalies";

    @Option(names = ANOMALY_DELIVERY, paramLabel = "at-least-once|exactly-once", order = 11,
            converter = DeliveryConverter.class,
            description = "at-least-once: each anomaly event is sent as soon as it is decided (a restart may repeat "
                    + "some, with the same id); exactly-once: in Kafka transactions committed at each checkpoint, "
                    + "visible only then [${DEFAULT-VALUE}].")
    AnomalyDelivery anomalyDelivery = AnomalyDelivery.AT_LEAST_ONCE;

    @Option(names = TRANSACTIONAL_ID_PREFIX, paramLabel = "PREFIX", order = 12,
            description = "Prefix of the Kafka transactions of the anomaly sink (exactly-once delivery); unique per "
                    + "job [${DEFAULT-VALUE}].")
    String transactionalIdPrefix = "chipwatch-detection";

    @Option(names = DETECTION_CONFIG, paramLabel = "FILE", order = 13,
            description = "YAML thresholds overriding detection.yaml's defaults [none].")
    Path detectionConfig;

    @Option(names = CHIPS, paramLabel = "N", order = 14,
            description = "Accept only the chip ids of Topology.build(ClusterShape.DEFAULT, N), as the aggregation job "
                    + "does; 0 = any id [${DEFAULT-VALUE}].")
    int chips;

    @Option(names = MAX_FUTURE_MS, paramLabel = "MS", order = 15,
            description = "Reject samples timestamped more than this ahead of the job's clock [${DEFAULT-VALUE}].")
    long maxFutureMs = DetectionJobConfig.DEFAULT_MAX_FUTURE.toMillis();

    @Option(names = MAX_AGE_MS, paramLabel = "MS", order = 16,
            description = "Reject samples timestamped more than this behind the job's clock (replays of simulated "
                    + "time pass a century) [${DEFAULT-VALUE}].")
    long maxAgeMs = DetectionJobConfig.DEFAULT_MAX_AGE.toMillis();

    @Override
    public DetectionJobConfig toConfig() {
        DetectionConfig thresholds;
        try {
            thresholds = DetectionConfig.load(detectionConfig);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DETECTION_CONFIG + ": " + e.getMessage(), e);
        }
        return new DetectionJobConfig(common.settings(), anomaliesTopic, anomalyDelivery, transactionalIdPrefix,
                Optional.ofNullable(detectionConfig), thresholds, chips, Duration.ofMillis(maxFutureMs),
                Duration.ofMillis(maxAgeMs));
    }

    /** Reads {@code --anomaly-delivery}; a bad value names the accepted ones. */
    static final class DeliveryConverter implements ITypeConverter<AnomalyDelivery> {
        @Override
        public AnomalyDelivery convert(String value) {
            return AnomalyDelivery.parse(value);
        }
    }
}
