package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.detect.DetectionConfig;
import org.apache.flink.util.ParameterTool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the {@link DetectionJob}; immutable. Built with {@link #builder()} or parsed from command-line
 * arguments with {@link #fromArgs(String[])}. Every invalid or missing value is an {@link IllegalArgumentException}
 * naming the option (or, for the thresholds, the key of the detection config) and how to fix it.
 *
 * <p>Options (defaults in brackets):
 * <pre>
 * --bootstrap HOST:PORT[,...]       Kafka bootstrap servers (required)
 * --topic NAME                      topic of encoded chip samples [chip-samples]
 * --anomalies-topic NAME            topic the anomaly events go to, exactly once [anomalies]
 * --group-id ID                     Kafka consumer group; offsets are committed on checkpoints [chipwatch-detection]
 * --transactional-id-prefix P       prefix of the Kafka transactions of the anomaly sink; unique per job [chipwatch-detection]
 * --influx-url URL                  InfluxDB base URL for the anomaly measurement; none: no InfluxDB sink
 * --influx-db NAME                  database, created if missing [telemetry]
 * --detection-config FILE           thresholds overriding detection.yaml's defaults [none]
 * --out-of-orderness-ms N           how far samples may arrive out of time order [400]
 * --idleness-ms N                   silence after which a partition stops holding back the watermark; 0 = never [60000]
 * --bounded [true|false]            stop at the offsets that are latest when the job starts (replays, eval) [false]
 * --parallelism N                   job parallelism [the environment's default]
 * --web-port N                      serve Flink's web UI on this port from a local environment; 0 = no UI [0]
 * --checkpoint-interval-ms N        exactly-once checkpoint interval; anomalies become visible to read_committed
 *                                   consumers when a checkpoint completes [2000]
 * --checkpoint-dir DIR              where checkpoints are written and kept on cancel [a temporary dir, deleted at exit]
 * --restore-latest [true|false]    start from the newest completed checkpoint under --checkpoint-dir, if any [false]
 * --metrics-interval-ms N           with --influx-url: write the job's self-metrics (checkpoints, Kafka lag, sink
 *                                   errors) to the InfluxDB database every N ms; 0 = not at all [10000]
 * </pre>
 */
public final class DetectionJobConfig {
    public static final String BOOTSTRAP = "bootstrap";
    public static final String TOPIC = "topic";
    public static final String ANOMALIES_TOPIC = "anomalies-topic";
    public static final String GROUP_ID = "group-id";
    public static final String TRANSACTIONAL_ID_PREFIX = "transactional-id-prefix";
    public static final String INFLUX_URL = "influx-url";
    public static final String INFLUX_DB = "influx-db";
    public static final String DETECTION_CONFIG = "detection-config";
    public static final String OUT_OF_ORDERNESS_MS = "out-of-orderness-ms";
    public static final String IDLENESS_MS = "idleness-ms";
    public static final String BOUNDED = "bounded";
    public static final String PARALLELISM = "parallelism";
    public static final String WEB_PORT = "web-port";
    public static final String CHECKPOINT_INTERVAL_MS = "checkpoint-interval-ms";
    public static final String CHECKPOINT_DIR = "checkpoint-dir";
    public static final String RESTORE_LATEST = "restore-latest";
    public static final String METRICS_INTERVAL_MS = "metrics-interval-ms";

    private static final Set<String> KEYS = new TreeSet<>(List.of(BOOTSTRAP, TOPIC, ANOMALIES_TOPIC, GROUP_ID,
            TRANSACTIONAL_ID_PREFIX, INFLUX_URL, INFLUX_DB, DETECTION_CONFIG, OUT_OF_ORDERNESS_MS, IDLENESS_MS,
            BOUNDED, PARALLELISM, WEB_PORT, CHECKPOINT_INTERVAL_MS, CHECKPOINT_DIR, RESTORE_LATEST,
            METRICS_INTERVAL_MS));

    /** What ParameterTool stores for an option given without a value. */
    private static final String NO_VALUE = "__NO_VALUE_KEY";
    static final long MIN_CHECKPOINT_INTERVAL_MS = 10;
    /** Shorter self-metrics intervals would cost more than they tell. */
    static final long MIN_METRICS_INTERVAL_MS = 100;

    private final String bootstrapServers;
    private final String topic;
    private final String anomaliesTopic;
    private final String groupId;
    private final String transactionalIdPrefix;
    private final String influxUrl;
    private final String influxDatabase;
    private final DetectionConfig detection;
    private final Path detectionConfigFile;
    private final Duration outOfOrderness;
    private final Duration idleness;
    private final boolean bounded;
    private final Integer parallelism;
    private final int webPort;
    private final Duration checkpointInterval;
    private final Duration metricsInterval;
    private final Path checkpointDir;
    private final boolean restoreLatest;

    private DetectionJobConfig(Builder b) {
        this.bootstrapServers = required(b.bootstrapServers, BOOTSTRAP, "the Kafka bootstrap servers, e.g. --bootstrap 127.0.0.1:9092");
        this.topic = required(b.topic, TOPIC, "a topic name, e.g. --topic chip-samples");
        this.anomaliesTopic = required(b.anomaliesTopic, ANOMALIES_TOPIC, "a topic name, e.g. --anomalies-topic anomalies");
        this.groupId = required(b.groupId, GROUP_ID, "a consumer group id, e.g. --group-id chipwatch-detection");
        this.transactionalIdPrefix = required(b.transactionalIdPrefix, TRANSACTIONAL_ID_PREFIX,
                "a prefix unique to this job, e.g. --transactional-id-prefix chipwatch-detection");
        this.influxUrl = b.influxUrl == null || b.influxUrl.isBlank() ? null : b.influxUrl;
        if (influxUrl != null && !influxUrl.startsWith("http://") && !influxUrl.startsWith("https://")) {
            throw invalid(INFLUX_URL, influxUrl, "an http:// or https:// URL, e.g. --influx-url http://127.0.0.1:8086");
        }
        this.influxDatabase = required(b.influxDatabase, INFLUX_DB, "a database name, e.g. --influx-db telemetry");
        this.detectionConfigFile = b.detectionConfigFile;
        this.detection = b.detection != null ? b.detection : DetectionConfig.load(b.detectionConfigFile);
        this.outOfOrderness = nonNegative(b.outOfOrderness, OUT_OF_ORDERNESS_MS, "e.g. --out-of-orderness-ms 1000");
        this.idleness = nonNegative(b.idleness, IDLENESS_MS, "e.g. --idleness-ms 5000 (0 disables idle detection)");
        this.bounded = b.bounded;
        if (b.parallelism != null && b.parallelism < 1) {
            throw invalid(PARALLELISM, b.parallelism, "a positive number of parallel subtasks, e.g. --parallelism 2, or leave it out");
        }
        this.parallelism = b.parallelism;
        if (b.webPort < 0 || b.webPort > 65535) {
            throw invalid(WEB_PORT, b.webPort, "a TCP port 1-65535, e.g. --web-port 8082, or 0 for no web UI");
        }
        this.webPort = b.webPort;
        this.checkpointInterval = Objects.requireNonNull(b.checkpointInterval, "checkpointInterval");
        if (checkpointInterval.toMillis() < MIN_CHECKPOINT_INTERVAL_MS) {
            throw invalid(CHECKPOINT_INTERVAL_MS, checkpointInterval.toMillis(),
                    "at least " + MIN_CHECKPOINT_INTERVAL_MS + " ms, e.g. --checkpoint-interval-ms 2000");
        }
        this.metricsInterval = Objects.requireNonNull(b.metricsInterval, "metricsInterval");
        if (metricsInterval.isNegative() || (!metricsInterval.isZero() && metricsInterval.toMillis() < MIN_METRICS_INTERVAL_MS)) {
            throw invalid(METRICS_INTERVAL_MS, metricsInterval.toMillis(), "at least " + MIN_METRICS_INTERVAL_MS
                    + " ms, e.g. --metrics-interval-ms 10000, or 0 to write no self-metrics");
        }
        this.checkpointDir = b.checkpointDir != null ? b.checkpointDir.toAbsolutePath() : null;
        if (b.restoreLatest && checkpointDir == null) {
            throw new IllegalArgumentException("--" + RESTORE_LATEST + " needs --" + CHECKPOINT_DIR
                    + " to look in; pass e.g. --checkpoint-dir var/detection/checkpoints --restore-latest");
        }
        this.restoreLatest = b.restoreLatest;
    }

    /** A builder with every default set and no Kafka address. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses {@code --key value} arguments (see the class comment), loading the detection config named by
     * {@code --detection-config} over the defaults.
     *
     * @throws IllegalArgumentException for an unknown option, a value that does not parse or is out of range, a
     *                                  missing required option, or a bad detection config (naming its key)
     */
    public static DetectionJobConfig fromArgs(String[] args) {
        ParameterTool params;
        try {
            params = ParameterTool.fromArgs(args);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot parse the arguments (" + e.getMessage()
                    + "); pass options as --key value, e.g. --bootstrap 127.0.0.1:9092", e);
        }
        List<String> unknown = new ArrayList<>();
        for (String key : params.toMap().keySet()) {
            if (!KEYS.contains(key)) {
                unknown.add("--" + key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + "; the options are --"
                    + String.join(", --", KEYS));
        }
        Builder b = builder();
        if (params.has(BOOTSTRAP)) {
            b.bootstrapServers(text(params, BOOTSTRAP));
        }
        if (params.has(TOPIC)) {
            b.topic(text(params, TOPIC));
        }
        if (params.has(ANOMALIES_TOPIC)) {
            b.anomaliesTopic(text(params, ANOMALIES_TOPIC));
        }
        if (params.has(GROUP_ID)) {
            b.groupId(text(params, GROUP_ID));
        }
        if (params.has(TRANSACTIONAL_ID_PREFIX)) {
            b.transactionalIdPrefix(text(params, TRANSACTIONAL_ID_PREFIX));
        }
        if (params.has(INFLUX_URL)) {
            b.influxUrl(text(params, INFLUX_URL));
        }
        if (params.has(INFLUX_DB)) {
            b.influxDatabase(text(params, INFLUX_DB));
        }
        if (params.has(DETECTION_CONFIG)) {
            b.detectionConfigFile(Path.of(text(params, DETECTION_CONFIG)));
        }
        if (params.has(OUT_OF_ORDERNESS_MS)) {
            b.outOfOrderness(Duration.ofMillis(number(params, OUT_OF_ORDERNESS_MS, "milliseconds >= 0, e.g. --out-of-orderness-ms 1000")));
        }
        if (params.has(IDLENESS_MS)) {
            b.idleness(Duration.ofMillis(number(params, IDLENESS_MS, "milliseconds >= 0, e.g. --idleness-ms 5000")));
        }
        if (params.has(BOUNDED)) {
            b.bounded(flag(params, BOUNDED));
        }
        if (params.has(PARALLELISM)) {
            long p = number(params, PARALLELISM, "a positive number of parallel subtasks, e.g. --parallelism 2");
            if (p < 1 || p > Integer.MAX_VALUE) {
                throw invalid(PARALLELISM, p, "a positive number of parallel subtasks, e.g. --parallelism 2, or leave it out");
            }
            b.parallelism((int) p);
        }
        if (params.has(WEB_PORT)) {
            long port = number(params, WEB_PORT, "a TCP port, e.g. --web-port 8082, or 0 for no web UI");
            if (port < 0 || port > 65535) {
                throw invalid(WEB_PORT, port, "a TCP port 1-65535, e.g. --web-port 8082, or 0 for no web UI");
            }
            b.webPort((int) port);
        }
        if (params.has(CHECKPOINT_INTERVAL_MS)) {
            b.checkpointInterval(Duration.ofMillis(number(params, CHECKPOINT_INTERVAL_MS, "milliseconds, e.g. --checkpoint-interval-ms 2000")));
        }
        if (params.has(METRICS_INTERVAL_MS)) {
            b.metricsInterval(Duration.ofMillis(number(params, METRICS_INTERVAL_MS,
                    "milliseconds, e.g. --metrics-interval-ms 10000, or 0 to write no self-metrics")));
        }
        if (params.has(CHECKPOINT_DIR)) {
            b.checkpointDir(Path.of(text(params, CHECKPOINT_DIR)));
        }
        if (params.has(RESTORE_LATEST)) {
            b.restoreLatest(flag(params, RESTORE_LATEST));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("--")) {
                throw e;
            }
            throw new IllegalArgumentException("--" + DETECTION_CONFIG + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topic() {
        return topic;
    }

    public String anomaliesTopic() {
        return anomaliesTopic;
    }

    public String groupId() {
        return groupId;
    }

    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    /** InfluxDB base URL, or null when anomalies go to Kafka only. */
    public String influxUrl() {
        return influxUrl;
    }

    public String influxDatabase() {
        return influxDatabase;
    }

    /** The detectors' thresholds. */
    public DetectionConfig detection() {
        return detection;
    }

    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    public Duration idleness() {
        return idleness;
    }

    public boolean bounded() {
        return bounded;
    }

    public OptionalInt parallelism() {
        return parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism);
    }

    public int webPort() {
        return webPort;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /**
     * How often the job's self-metrics are written to InfluxDB ({@link io.chipwatch.jobs.metrics.PipelineMetrics})
     * when it has an InfluxDB URL; zero when they are not written.
     */
    public Duration metricsInterval() {
        return metricsInterval;
    }

    /** Folder where checkpoints are written and kept; empty: a temporary one, deleted when the process exits. */
    public Optional<Path> checkpointDir() {
        return Optional.ofNullable(checkpointDir);
    }

    /** Whether the job starts from the newest completed checkpoint under {@link #checkpointDir()}. */
    public boolean restoreLatest() {
        return restoreLatest;
    }

    @Override
    public String toString() {
        return "DetectionJobConfig{bootstrap=" + bootstrapServers + ", topic=" + topic + ", anomaliesTopic="
                + anomaliesTopic + ", groupId=" + groupId + ", transactionalIdPrefix=" + transactionalIdPrefix
                + ", influxUrl=" + (influxUrl == null ? "none" : influxUrl) + ", influxDb=" + influxDatabase
                + ", detectionConfig=" + (detectionConfigFile == null ? "defaults" : detectionConfigFile)
                + ", outOfOrderness=" + outOfOrderness + ", idleness=" + idleness + ", bounded=" + bounded
                + ", parallelism=" + (parallelism == null ? "default" : parallelism) + ", webPort=" + webPort
                + ", checkpointInterval=" + checkpointInterval + ", checkpointDir=" + (checkpointDir == null ? "temporary" : checkpointDir)
                + ", restoreLatest=" + restoreLatest
                + ", metricsInterval=" + metricsInterval
                + '}';
    }

    private static String text(ParameterTool params, String key) {
        String value = params.get(key);
        if (value == null || value.isBlank() || NO_VALUE.equals(value)) {
            throw new IllegalArgumentException("--" + key + " needs a value; pass a value or leave the option out");
        }
        return value.trim();
    }

    private static long number(ParameterTool params, String key, String expected) {
        String value = params.get(key);
        if (value == null || NO_VALUE.equals(value)) {
            throw new IllegalArgumentException("--" + key + " needs a value; pass " + expected);
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, expected);
        }
    }

    private static boolean flag(ParameterTool params, String key) {
        String value = params.get(key);
        if (value == null || NO_VALUE.equals(value) || value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, value, "no value, true or false, e.g. --" + key);
    }

    private static String required(String value, String key, String expected) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required; pass " + expected);
        }
        return value;
    }

    private static Duration nonNegative(Duration value, String key, String example) {
        Objects.requireNonNull(value, key);
        if (value.isNegative()) {
            throw invalid(key, value.toMillis(), "milliseconds >= 0, " + example);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException("--" + key + " has invalid value '" + value + "'; pass " + expected);
    }

    /** Builder of {@link DetectionJobConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic = "chip-samples";
        private String anomaliesTopic = "anomalies";
        private String groupId = "chipwatch-detection";
        private String transactionalIdPrefix = "chipwatch-detection";
        private String influxUrl;
        private String influxDatabase = "telemetry";
        private DetectionConfig detection;
        private Path detectionConfigFile;
        // Within a partition a collector writes samples in time order (a tick at a time), and watermarks are per
        // partition: the allowance only covers collectors whose clocks or ticks differ a little. Every 100 ms of it
        // delays each silence check by up to a sampling interval, so it stays under half a second: with 400 ms a
        // chip_down is known one sample after the silence timeout, with 1 s two samples after.
        private Duration outOfOrderness = Duration.ofMillis(400);
        // Long, as in the aggregation job: while the job catches up on a backlog, the consumer can leave a partition
        // unread for seconds; marked idle, it would let the watermark run past its chips, which then look silent
        // (a restart with a one-minute backlog at 10,000 chips raised 1,850 chip_down at a 5 s idleness). Only a
        // partition with no data at all needs idleness, and holding the watermark a minute at start is harmless.
        private Duration idleness = Duration.ofMillis(60_000);
        private boolean bounded;
        private Integer parallelism;
        private int webPort;
        private Duration checkpointInterval = Duration.ofMillis(2000);
        private Duration metricsInterval = io.chipwatch.jobs.metrics.PipelineMetrics.DEFAULT_INTERVAL;
        private Path checkpointDir;
        private boolean restoreLatest;

        private Builder() {
        }

        public Builder checkpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        public Builder restoreLatest(boolean restoreLatest) {
            this.restoreLatest = restoreLatest;
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder anomaliesTopic(String anomaliesTopic) {
            this.anomaliesTopic = anomaliesTopic;
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder transactionalIdPrefix(String transactionalIdPrefix) {
            this.transactionalIdPrefix = transactionalIdPrefix;
            return this;
        }

        /** InfluxDB base URL; null for no InfluxDB sink. */
        public Builder influxUrl(String influxUrl) {
            this.influxUrl = influxUrl;
            return this;
        }

        public Builder influxDatabase(String influxDatabase) {
            this.influxDatabase = influxDatabase;
            return this;
        }

        /** Thresholds given directly (tests); otherwise they are loaded from the file, or the defaults. */
        public Builder detection(DetectionConfig detection) {
            this.detection = detection;
            return this;
        }

        public Builder detectionConfigFile(Path file) {
            this.detectionConfigFile = file;
            return this;
        }

        public Builder outOfOrderness(Duration outOfOrderness) {
            this.outOfOrderness = outOfOrderness;
            return this;
        }

        public Builder idleness(Duration idleness) {
            this.idleness = idleness;
            return this;
        }

        public Builder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        public Builder parallelism(Integer parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder webPort(int webPort) {
            this.webPort = webPort;
            return this;
        }

        public Builder checkpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        /** Self-metrics reporting interval; {@link Duration#ZERO} turns the reporter off. */
        public Builder metricsInterval(Duration metricsInterval) {
            this.metricsInterval = metricsInterval;
            return this;
        }

        /** @throws IllegalArgumentException if a value is missing or invalid */
        public DetectionJobConfig build() {
            return new DetectionJobConfig(this);
        }
    }
}
