package io.chipwatch.jobs.launch;

import io.chipwatch.model.kafka.KafkaClientSecurity;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.chipwatch.jobs.launch.JobOptionNames.BOOTSTRAP;
import static io.chipwatch.jobs.launch.JobOptionNames.CHECKPOINT_DIR;
import static io.chipwatch.jobs.launch.JobOptionNames.CHECKPOINT_INTERVAL_MS;
import static io.chipwatch.jobs.launch.JobOptionNames.GROUP_ID;
import static io.chipwatch.jobs.launch.JobOptionNames.IDLENESS_MS;
import static io.chipwatch.jobs.launch.JobOptionNames.INFLUX_CREDENTIALS_FILE;
import static io.chipwatch.jobs.launch.JobOptionNames.INFLUX_DB;
import static io.chipwatch.jobs.launch.JobOptionNames.INFLUX_URL;
import static io.chipwatch.jobs.launch.JobOptionNames.METRICS_INTERVAL_MS;
import static io.chipwatch.jobs.launch.JobOptionNames.OUT_OF_ORDERNESS_MS;
import static io.chipwatch.jobs.launch.JobOptionNames.PARALLELISM;
import static io.chipwatch.jobs.launch.JobOptionNames.TICK_QUIET_MS;
import static io.chipwatch.jobs.launch.JobOptionNames.RESTORE_LATEST;
import static io.chipwatch.jobs.launch.JobOptionNames.TOPIC;
import static io.chipwatch.jobs.launch.JobOptionNames.WEB_ADDRESS;
import static io.chipwatch.jobs.launch.JobOptionNames.WEB_PORT;
import static io.chipwatch.jobs.launch.OptionChecks.invalid;
import static io.chipwatch.jobs.launch.OptionChecks.nonNegative;
import static io.chipwatch.jobs.launch.OptionChecks.required;
import static io.chipwatch.jobs.launch.OptionChecks.zeroOrAtLeast;

/**
 * What every Chipwatch job takes, validated: where the samples come from (Kafka, consumer group, event-time
 * allowances, bounded or not), the InfluxDB to write to, and how the job runs (parallelism, web UI, checkpoints,
 * self-metrics). Made from the options by {@link CommonJobOptions}; an invalid value is an
 * {@link IllegalArgumentException} naming the option and the fix.
 *
 * @param influxUrl     InfluxDB base URL; empty where a job may run without one (detection)
 * @param idleness      silence after which a Kafka partition stops holding back the watermark; zero means never
 * @param tickQuiet     quiet after which a partition's newest tick is taken as complete and the watermark moves up
 *                      to it at once (a live source publishes a tick's samples in one burst), rather than when the
 *                      next tick arrives; zero means never. Not applied to bounded runs (replays stay deterministic)
 * @param parallelism   the job's parallelism, or empty for the environment's default
 * @param webPort       port of the local web UI, 0 for none
 * @param webAddress    address the local web UI and REST API bind and advertise (loopback unless configured)
 * @param checkpointDir where checkpoints are kept (a URI); empty for a temporary directory deleted at exit
 * @param restoreLatest start from the newest completed checkpoint under {@code checkpointDir}
 * @param metricsInterval how often the job's self-metrics are written to InfluxDB; zero for never
 * @param influxCredentialsFile the InfluxDB credentials file (user:password) the sinks and the metric reporter read
 *                      where they open; empty: the environment's, else none ({@code InfluxCredentials#resolve})
 * @param kafkaCredentials the Kafka credentials file every Kafka client of the job authenticates with
 *                      ({@link KafkaClientSecurity}); empty for PLAINTEXT
 */
public record JobSettings(String bootstrapServers, String topic, String groupId, Optional<String> influxUrl,
                          String influxDatabase, Duration outOfOrderness, Duration idleness, Duration tickQuiet,
                          boolean bounded,
                          OptionalInt parallelism, int webPort, String webAddress, Duration checkpointInterval,
                          Optional<URI> checkpointDir, boolean restoreLatest, Duration metricsInterval,
                          Optional<Path> influxCredentialsFile, Optional<Path> kafkaCredentials) {
    /** Flink rejects checkpoint intervals below this. */
    public static final long MIN_CHECKPOINT_INTERVAL_MS = 10;
    /** Shorter self-metrics intervals would cost more than they tell. */
    public static final long MIN_METRICS_INTERVAL_MS = 100;

    /** As the canonical constructor, with no InfluxDB credentials file and PLAINTEXT (no Kafka credentials). */
    public JobSettings(String bootstrapServers, String topic, String groupId, Optional<String> influxUrl,
                       String influxDatabase, Duration outOfOrderness, Duration idleness, Duration tickQuiet,
                       boolean bounded, OptionalInt parallelism, int webPort, String webAddress,
                       Duration checkpointInterval, Optional<URI> checkpointDir, boolean restoreLatest,
                       Duration metricsInterval) {
        this(bootstrapServers, topic, groupId, influxUrl, influxDatabase, outOfOrderness, idleness, tickQuiet, bounded,
                parallelism, webPort, webAddress, checkpointInterval, checkpointDir, restoreLatest, metricsInterval,
                Optional.empty(), Optional.empty());
    }

    /** The Kafka client settings of {@link #kafkaCredentials()}: SASL, or none (PLAINTEXT). */
    public Map<String, String> kafkaSecurity() {
        return KafkaClientSecurity.settings(kafkaCredentials.orElse(null));
    }

    public JobSettings {
        bootstrapServers = required(bootstrapServers, BOOTSTRAP, "the Kafka bootstrap servers, e.g. " + BOOTSTRAP
                + " 127.0.0.1:9092");
        topic = required(topic, TOPIC, "a topic name, e.g. " + TOPIC + " chip-samples");
        groupId = required(groupId, GROUP_ID, "a consumer group id, e.g. " + GROUP_ID + " chipwatch-aggregation");
        influxUrl.ifPresent(url -> {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw invalid(INFLUX_URL, url, "an http:// or https:// URL, e.g. " + INFLUX_URL
                        + " http://127.0.0.1:8086");
            }
        });
        influxDatabase = required(influxDatabase, INFLUX_DB, "a database name, e.g. " + INFLUX_DB + " telemetry");
        nonNegative(outOfOrderness, OUT_OF_ORDERNESS_MS, "e.g. " + OUT_OF_ORDERNESS_MS + " 2000");
        nonNegative(idleness, IDLENESS_MS, "e.g. " + IDLENESS_MS + " 60000 (0 disables idle detection)");
        nonNegative(tickQuiet, TICK_QUIET_MS, "e.g. " + TICK_QUIET_MS + " 150 (0 waits for the next tick)");
        if (parallelism.isPresent() && parallelism.getAsInt() < 1) {
            throw invalid(PARALLELISM, parallelism.getAsInt(), "a positive number of parallel subtasks, e.g. "
                    + PARALLELISM + " 2, or leave it out");
        }
        if (webPort < 0 || webPort > 65535) {
            throw invalid(WEB_PORT, webPort, "a TCP port 1-65535, e.g. " + WEB_PORT + " 8081, or 0 for no web UI");
        }
        webAddress = required(webAddress, WEB_ADDRESS, "an address to bind, e.g. " + WEB_ADDRESS + " 127.0.0.1");
        if (checkpointInterval.toMillis() < MIN_CHECKPOINT_INTERVAL_MS) {
            throw invalid(CHECKPOINT_INTERVAL_MS, checkpointInterval.toMillis(), "at least "
                    + MIN_CHECKPOINT_INTERVAL_MS + " ms, e.g. " + CHECKPOINT_INTERVAL_MS + " 10000");
        }
        zeroOrAtLeast(metricsInterval, METRICS_INTERVAL_MS, MIN_METRICS_INTERVAL_MS, "at least "
                + MIN_METRICS_INTERVAL_MS + " ms, e.g. " + METRICS_INTERVAL_MS + " 10000, or 0 to write no self-metrics");
        influxCredentialsFile.ifPresent(file -> {
            if (!Files.isReadable(file)) {
                throw invalid(INFLUX_CREDENTIALS_FILE, file, "a readable file of one line user:password, e.g. "
                        + INFLUX_CREDENTIALS_FILE + " ~/.config/chipwatch/influxdb-writer");
            }
        });
        if (restoreLatest && checkpointDir.isEmpty()) {
            throw new IllegalArgumentException(RESTORE_LATEST + " needs " + CHECKPOINT_DIR + " to look in; pass e.g. "
                    + CHECKPOINT_DIR + " var/flink/checkpoints " + RESTORE_LATEST);
        }
    }
}
