package io.chipwatch.jobs.launch;

import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import static io.chipwatch.jobs.launch.JobOptionNames.BOUNDED;
import static io.chipwatch.jobs.launch.JobOptionNames.CHECKPOINT_DIR;
import static io.chipwatch.jobs.launch.JobOptionNames.RESTORE_LATEST;

/**
 * The picocli mixin of the options every job takes: Kafka, InfluxDB, event time, parallelism, web UI, checkpoints
 * and self-metrics. A job's command creates it with its {@link JobDefaults}; {@link #settings()} validates the
 * values into {@link JobSettings}.
 */
public final class CommonJobOptions {
    /** A URI with a scheme and an authority part, e.g. {@code s3://bucket/dir} or {@code file:///srv/ckpt}. */
    private static final Pattern URI_WITH_AUTHORITY = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    @Option(names = JobOptionNames.BOOTSTRAP, paramLabel = "HOST:PORT[,...]", order = 1,
            description = "Kafka bootstrap servers (required).")
    String bootstrap;

    @Option(names = JobOptionNames.TOPIC, paramLabel = "NAME", order = 2,
            description = "Topic of encoded chip samples (key = chip id) [${DEFAULT-VALUE}].")
    String topic = "chip-samples";

    @Option(names = JobOptionNames.GROUP_ID, paramLabel = "ID", order = 3,
            description = "Kafka consumer group; offsets are committed on checkpoints, a new group starts at the "
                    + "earliest offsets [${DEFAULT-VALUE}].")
    String groupId;

    @Option(names = JobOptionNames.INFLUX_URL, paramLabel = "URL", order = 4,
            description = "InfluxDB base URL (v1 API), e.g. http://127.0.0.1:8086.")
    String influxUrl;

    @Option(names = JobOptionNames.INFLUX_DB, paramLabel = "NAME", order = 5,
            description = "InfluxDB database, created if missing [${DEFAULT-VALUE}].")
    String influxDb = "telemetry";

    @Option(names = JobOptionNames.INFLUX_CREDENTIALS_FILE, paramLabel = "FILE", order = 6,
            description = "InfluxDB credentials: a file of one line user:password (mode 600) [else the environment's "
                    + "CHIPWATCH_INFLUX_CREDENTIALS_FILE, or CHIPWATCH_INFLUX_USER and CHIPWATCH_INFLUX_PASSWORD; else none].")
    Path influxCredentialsFile;

    @Option(names = JobOptionNames.OUT_OF_ORDERNESS_MS, paramLabel = "MS", order = 20,
            description = "How far out of time order samples may arrive before they are late [${DEFAULT-VALUE}].")
    long outOfOrdernessMs;

    @Option(names = JobOptionNames.IDLENESS_MS, paramLabel = "MS", order = 21,
            description = "Silence after which a Kafka partition stops holding back the watermark; 0 = never "
                    + "[${DEFAULT-VALUE}]. Long on purpose: a partition wrongly taken for idle (slow to start, or "
                    + "left unread while catching up) has its samples arrive late.")
    long idlenessMs = 60_000;

    @Option(names = JobOptionNames.TICK_QUIET_MS, paramLabel = "MS", order = 23,
            description = "Quiet after which a partition's newest tick is taken as complete and the watermark moves "
                    + "up to it, instead of waiting for the next tick; 0 = wait [${DEFAULT-VALUE}]. A sample of that "
                    + "tick arriving later still is late. Ignored by bounded runs.")
    long tickQuietMs;

    @Option(names = BOUNDED, paramLabel = "true|false", arity = "0..1", fallbackValue = "true", order = 22,
            description = "Stop at the offsets that are latest when the job starts (tests, replays) [false].")
    String bounded = "false";

    @Option(names = JobOptionNames.PARALLELISM, paramLabel = "N", order = 30,
            description = "Job parallelism [the environment's default].")
    Integer parallelism;

    @Option(names = JobOptionNames.WEB_PORT, paramLabel = "PORT", order = 31,
            description = "Serve Flink's web UI and REST API on this port from a local environment; 0 = none "
                    + "[${DEFAULT-VALUE}].")
    int webPort;

    @Option(names = JobOptionNames.WEB_ADDRESS, paramLabel = "ADDRESS", order = 31,
            description = "Address the local web UI and REST API bind; anything but loopback lets others reach an "
                    + "unauthenticated API [${DEFAULT-VALUE}].")
    String webAddress = JobEnvironment.LOOPBACK;

    @Option(names = JobOptionNames.CHECKPOINT_INTERVAL_MS, paramLabel = "MS", order = 32,
            description = "Exactly-once checkpoint interval, at least 10 [${DEFAULT-VALUE}].")
    long checkpointIntervalMs;

    @Option(names = CHECKPOINT_DIR, paramLabel = "DIR", order = 33,
            description = "Keep checkpoints in this directory (a path or a file: URI), retained when the job is "
                    + "cancelled or the process dies [none: a temporary directory, deleted at exit].")
    String checkpointDir;

    @Option(names = RESTORE_LATEST, paramLabel = "true|false", arity = "0..1", fallbackValue = "true", order = 34,
            description = "Start from the newest completed checkpoint under " + CHECKPOINT_DIR + ", if any [false].")
    String restoreLatest = "false";

    @Option(names = JobOptionNames.METRICS_INTERVAL_MS, paramLabel = "MS", order = 35,
            description = "Write the job's self-metrics to the InfluxDB database this often (with "
                    + JobOptionNames.INFLUX_URL + "); 0 = not at all [${DEFAULT-VALUE}].")
    long metricsIntervalMs = 10_000;

    @Option(names = JobOptionNames.KAFKA_CREDENTIALS, paramLabel = "FILE", order = 36,
            description = "Kafka credentials file (SASL/SCRAM, e.g. the local stack's kafka-detection.properties);"
                    + " without it, PLAINTEXT.")
    Path kafkaCredentials;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 99, description = "Show this help and exit.")
    boolean help;

    /** Options with the defaults of one job. */
    public CommonJobOptions(JobDefaults defaults) {
        this.groupId = defaults.groupId();
        this.outOfOrdernessMs = defaults.outOfOrderness().toMillis();
        this.tickQuietMs = defaults.tickQuiet().toMillis();
        this.checkpointIntervalMs = defaults.checkpointInterval().toMillis();
    }

    /**
     * The values, validated.
     *
     * @throws IllegalArgumentException naming the option of the first invalid value and what to pass
     */
    public JobSettings settings() {
        return new JobSettings(bootstrap, topic, groupId, Optional.ofNullable(influxUrl).map(String::trim),
                influxDb, Duration.ofMillis(outOfOrdernessMs), Duration.ofMillis(idlenessMs), Duration.ofMillis(tickQuietMs),
                flag(BOUNDED, bounded),
                parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism), webPort, webAddress,
                Duration.ofMillis(checkpointIntervalMs),
                Optional.ofNullable(checkpointDir).map(CommonJobOptions::checkpointUri),
                flag(RESTORE_LATEST, restoreLatest), Duration.ofMillis(metricsIntervalMs),
                Optional.ofNullable(influxCredentialsFile), Optional.ofNullable(kafkaCredentials));
    }

    /**
     * A checkpoint directory as a URI, whichever way it was given: a URI with a scheme ({@code file:///srv/ckpt},
     * {@code file:/srv/ckpt}, {@code s3://bucket/ckpt}) is kept, a plain path becomes an absolute {@code file:} URI.
     */
    static URI checkpointUri(String dir) {
        String example = "an absolute file URI (file:///...) or a path, e.g. " + CHECKPOINT_DIR
                + " var/flink/checkpoints";
        if (dir.isBlank()) {
            throw OptionChecks.invalid(CHECKPOINT_DIR, dir, example);
        }
        String trimmed = dir.trim();
        if (URI_WITH_AUTHORITY.matcher(trimmed).matches() || trimmed.startsWith("file:")) {
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw OptionChecks.invalid(CHECKPOINT_DIR, dir, example);
            }
            if ("file".equals(uri.getScheme()) && (uri.getAuthority() != null || uri.getPath() == null
                    || !uri.getPath().startsWith("/"))) {
                throw OptionChecks.invalid(CHECKPOINT_DIR, dir, example);
            }
            return uri;
        }
        return Path.of(trimmed).toAbsolutePath().normalize().toUri();
    }

    private static boolean flag(String option, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw OptionChecks.invalid(option, value, "no value, true or false, e.g. " + option);
    }
}
