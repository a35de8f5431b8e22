package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.functions.SampleValidator;
import io.chipwatch.jobs.sink.influx.RetentionPolicySpec;
import io.chipwatch.model.topology.ClusterShape;
import org.apache.flink.util.ParameterTool;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the {@link AggregationJob}; immutable. Built with {@link #builder()} or parsed from command-line
 * arguments with {@link #fromArgs(String[])}. Every invalid or missing value is an
 * {@link IllegalArgumentException} naming the option and how to fix it.
 *
 * <p>Options (defaults in brackets):
 * <pre>
 * --bootstrap HOST:PORT[,...]     Kafka bootstrap servers (required)
 * --topic NAME                    topic of encoded chip samples [chip-samples]
 * --dead-letter-topic NAME        topic for records that cannot be decoded [chip-samples-dead-letter]
 * --group-id ID                   Kafka consumer group; offsets are committed on checkpoints [chipwatch-aggregation]
 * --influx-url URL                InfluxDB base URL, e.g. http://127.0.0.1:8086 (required)
 * --influx-db NAME                database, created if missing [telemetry]
 * --window-seconds N              tumbling window size [10]
 * --out-of-orderness-ms N         how far samples may arrive out of time order [2000]
 * --idleness-ms N                 silence after which a Kafka partition stops holding back the watermark; 0 = never
 *                                 [60000] (short timeouts make a partition that is slow to start "idle", and then
 *                                 its samples arrive late)
 * --bounded [true|false]          stop at the offsets that are latest when the job starts (tests, replays) [false]
 * --parallelism N                 job parallelism [the environment's default]
 * --web-port N                    serve Flink's web UI on this port from a local environment; 0 = no UI [0]
 * --checkpoint-interval-ms N      exactly-once checkpoint interval, at least 10 [10000]
 * --cluster-name NAME             value of the cluster tag of the cluster points [chipwatch]
 * --chips N                       accept only the chip ids of Topology.build(ClusterShape.DEFAULT, N); 0 = any id [0]
 * --max-future-ms N               reject samples timestamped more than this ahead of the job's clock [300000]
 * --raw-retention-days N          retention policy raw_7d (10-second points, the default policy) [7]; samples older
 *                                 than this minus one hour are rejected as stale
 * --capacity-1m-retention-days N  retention policy capacity_90d (1-minute points), at least the raw retention [90]
 * --capacity-1h-retention-days N  retention policy capacity_3y (1-hour points), at least the raw retention [1095]
 * --checkpoint-dir DIR            keep checkpoints in this directory (a file:// URI or a path), retained when the job
 *                                 is cancelled or the process dies [none: in JobManager memory, lost with the process]
 * --restore-latest [true|false]   start from the newest completed checkpoint under --checkpoint-dir, if there is one
 *                                 [false]
 * --metrics-interval-ms N         write the job's self-metrics (checkpoints, Kafka lag, sink errors, dead letters) to
 *                                 the InfluxDB database every N ms; 0 = not at all [10000]
 * </pre>
 */
public final class AggregationJobConfig {
    public static final String BOOTSTRAP = "bootstrap";
    public static final String TOPIC = "topic";
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String GROUP_ID = "group-id";
    public static final String INFLUX_URL = "influx-url";
    public static final String INFLUX_DB = "influx-db";
    public static final String WINDOW_SECONDS = "window-seconds";
    public static final String OUT_OF_ORDERNESS_MS = "out-of-orderness-ms";
    public static final String IDLENESS_MS = "idleness-ms";
    public static final String BOUNDED = "bounded";
    public static final String PARALLELISM = "parallelism";
    public static final String WEB_PORT = "web-port";
    public static final String CHECKPOINT_INTERVAL_MS = "checkpoint-interval-ms";
    public static final String CLUSTER_NAME = "cluster-name";
    public static final String CHIPS = "chips";
    public static final String MAX_FUTURE_MS = "max-future-ms";
    public static final String RAW_RETENTION_DAYS = "raw-retention-days";
    public static final String CAPACITY_1M_RETENTION_DAYS = "capacity-1m-retention-days";
    public static final String CAPACITY_1H_RETENTION_DAYS = "capacity-1h-retention-days";
    public static final String CHECKPOINT_DIR = "checkpoint-dir";
    public static final String RESTORE_LATEST = "restore-latest";
    public static final String METRICS_INTERVAL_MS = "metrics-interval-ms";

    private static final Set<String> KEYS = new TreeSet<>(List.of(BOOTSTRAP, TOPIC, DEAD_LETTER_TOPIC, GROUP_ID,
            INFLUX_URL, INFLUX_DB, WINDOW_SECONDS, OUT_OF_ORDERNESS_MS, IDLENESS_MS, BOUNDED, PARALLELISM, WEB_PORT,
            CHECKPOINT_INTERVAL_MS, CLUSTER_NAME, CHIPS, MAX_FUTURE_MS, RAW_RETENTION_DAYS, CAPACITY_1M_RETENTION_DAYS,
            CAPACITY_1H_RETENTION_DAYS, CHECKPOINT_DIR, RESTORE_LATEST, METRICS_INTERVAL_MS));

    /** Retention policy of the 10-second points; the database's default policy. */
    public static final String RAW_POLICY = "raw_7d";
    /** Retention policy of the 1-minute capacity points. */
    public static final String CAPACITY_1M_POLICY = "capacity_90d";
    /** Retention policy of the 1-hour capacity points. */
    public static final String CAPACITY_1H_POLICY = "capacity_3y";

    /** How much younger than the raw retention a sample must be: its points must still be accepted when written. */
    static final Duration STALE_MARGIN = Duration.ofHours(1);

    /** What ParameterTool stores for an option given without a value (its own constant is protected). */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    /** Flink rejects checkpoint intervals below this. */
    static final long MIN_CHECKPOINT_INTERVAL_MS = 10;

    /** Shorter self-metrics intervals would cost more than they tell. */
    static final long MIN_METRICS_INTERVAL_MS = 100;

    private final String bootstrapServers;
    private final String topic;
    private final String deadLetterTopic;
    private final String groupId;
    private final String influxUrl;
    private final String influxDatabase;
    private final Duration windowSize;
    private final Duration outOfOrderness;
    private final Duration idleness;
    private final boolean bounded;
    private final Integer parallelism;
    private final int webPort;
    private final Duration checkpointInterval;
    private final String clusterName;
    private final int chips;
    private final Duration maxFuture;
    private final Duration rawRetention;
    private final Duration capacity1mRetention;
    private final Duration capacity1hRetention;
    private final String checkpointDir;
    private final boolean restoreLatest;
    private final Duration metricsInterval;

    private AggregationJobConfig(Builder b) {
        this.bootstrapServers = required(b.bootstrapServers, BOOTSTRAP, "the Kafka bootstrap servers, e.g. --bootstrap 127.0.0.1:9092");
        this.topic = required(b.topic, TOPIC, "a topic name, e.g. --topic chip-samples");
        this.deadLetterTopic = required(b.deadLetterTopic, DEAD_LETTER_TOPIC, "a topic name, e.g. --dead-letter-topic chip-samples-dead-letter");
        this.groupId = required(b.groupId, GROUP_ID, "a consumer group id, e.g. --group-id chipwatch-aggregation");
        this.influxUrl = required(b.influxUrl, INFLUX_URL, "the InfluxDB base URL, e.g. --influx-url http://127.0.0.1:8086");
        if (!influxUrl.startsWith("http://") && !influxUrl.startsWith("https://")) {
            throw invalid(INFLUX_URL, influxUrl, "an http:// or https:// URL, e.g. --influx-url http://127.0.0.1:8086");
        }
        this.influxDatabase = required(b.influxDatabase, INFLUX_DB, "a database name, e.g. --influx-db telemetry");
        this.windowSize = Objects.requireNonNull(b.windowSize, "windowSize");
        if (windowSize.toMillis() <= 0 || windowSize.toMillis() % 1000 != 0) {
            throw invalid(WINDOW_SECONDS, windowSize.toSeconds(), "a positive whole number of seconds, e.g. --window-seconds 10");
        }
        this.outOfOrderness = nonNegative(b.outOfOrderness, OUT_OF_ORDERNESS_MS, "e.g. --out-of-orderness-ms 2000");
        this.idleness = nonNegative(b.idleness, IDLENESS_MS, "e.g. --idleness-ms 60000 (0 disables idle detection)");
        this.bounded = b.bounded;
        if (b.parallelism != null && b.parallelism < 1) {
            throw invalid(PARALLELISM, b.parallelism, "a positive number of parallel subtasks, e.g. --parallelism 2, or leave it out");
        }
        this.parallelism = b.parallelism;
        if (b.webPort < 0 || b.webPort > 65535) {
            throw invalid(WEB_PORT, b.webPort, "a TCP port 1-65535, e.g. --web-port 8081, or 0 for no web UI");
        }
        this.webPort = b.webPort;
        this.checkpointInterval = Objects.requireNonNull(b.checkpointInterval, "checkpointInterval");
        if (checkpointInterval.toMillis() < MIN_CHECKPOINT_INTERVAL_MS) {
            throw invalid(CHECKPOINT_INTERVAL_MS, checkpointInterval.toMillis(),
                    "at least " + MIN_CHECKPOINT_INTERVAL_MS + " ms, e.g. --checkpoint-interval-ms 10000");
        }
        this.metricsInterval = Objects.requireNonNull(b.metricsInterval, "metricsInterval");
        if (metricsInterval.isNegative() || (!metricsInterval.isZero() && metricsInterval.toMillis() < MIN_METRICS_INTERVAL_MS)) {
            throw invalid(METRICS_INTERVAL_MS, metricsInterval.toMillis(), "at least " + MIN_METRICS_INTERVAL_MS
                    + " ms, e.g. --metrics-interval-ms 10000, or 0 to write no self-metrics");
        }
        this.clusterName = required(b.clusterName, CLUSTER_NAME, "a name for the cluster tag, e.g. --cluster-name chipwatch");
        if (b.chips < 0 || b.chips % ClusterShape.DEFAULT.chipsPerNode() != 0) {
            throw invalid(CHIPS, b.chips, "a multiple of " + ClusterShape.DEFAULT.chipsPerNode()
                    + " (whole nodes), e.g. --chips 10000, or 0 to accept any chip id");
        }
        this.chips = b.chips;
        this.maxFuture = nonNegative(b.maxFuture, MAX_FUTURE_MS, "e.g. --max-future-ms 300000");
        this.rawRetention = days(b.rawRetention, RAW_RETENTION_DAYS, 1);
        this.capacity1mRetention = days(b.capacity1mRetention, CAPACITY_1M_RETENTION_DAYS, rawRetention.toDays());
        this.capacity1hRetention = days(b.capacity1hRetention, CAPACITY_1H_RETENTION_DAYS, rawRetention.toDays());
        this.checkpointDir = b.checkpointDir == null ? null : checkpointUri(b.checkpointDir);
        if (b.restoreLatest && checkpointDir == null) {
            throw new IllegalArgumentException("--" + RESTORE_LATEST + " needs --" + CHECKPOINT_DIR
                    + " to look in; pass e.g. --checkpoint-dir var/flink/checkpoints --restore-latest");
        }
        this.restoreLatest = b.restoreLatest;
    }

    /** A checkpoint directory as a URI: URIs are kept, a plain path becomes an absolute file:// URI. */
    private static String checkpointUri(String dir) {
        if (dir.isBlank()) {
            throw invalid(CHECKPOINT_DIR, dir, "a directory, e.g. --checkpoint-dir var/flink/checkpoints");
        }
        if (dir.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            if (dir.startsWith("file://") && !dir.startsWith("file:///")) {
                throw invalid(CHECKPOINT_DIR, dir, "an absolute file URI (file:///...) or a path, e.g. "
                        + "--checkpoint-dir var/flink/checkpoints");
            }
            return dir;
        }
        return java.nio.file.Path.of(dir).toAbsolutePath().normalize().toUri().toString();
    }

    private static Duration days(Duration value, String key, long minDays) {
        Objects.requireNonNull(value, key);
        if (value.toDays() < minDays || !value.equals(Duration.ofDays(value.toDays()))) {
            throw invalid(key, value.toDays(), "a whole number of days, at least " + minDays
                    + (minDays > 1 ? " (the raw retention)" : "") + ", e.g. --" + key + " " + Math.max(minDays, 7));
        }
        return value;
    }

    /** A builder with every default set and no Kafka or InfluxDB address. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses {@code --key value} arguments (see the class comment for the keys).
     *
     * @throws IllegalArgumentException for an unknown key, a value that does not parse or is out of range, or a
     *                                  missing required key; the message names the key and the fix
     */
    public static AggregationJobConfig fromArgs(String[] args) {
        ParameterTool params;
        try {
            params = ParameterTool.fromArgs(args);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot parse the arguments (" + e.getMessage()
                    + "); pass options as --key value, e.g. --bootstrap 127.0.0.1:9092 --influx-url http://127.0.0.1:8086", e);
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
        if (params.has(INFLUX_URL)) {
            b.influxUrl(text(params, INFLUX_URL));
        }
        if (params.has(TOPIC)) {
            b.topic(text(params, TOPIC));
        }
        if (params.has(DEAD_LETTER_TOPIC)) {
            b.deadLetterTopic(text(params, DEAD_LETTER_TOPIC));
        }
        if (params.has(GROUP_ID)) {
            b.groupId(text(params, GROUP_ID));
        }
        if (params.has(INFLUX_DB)) {
            b.influxDatabase(text(params, INFLUX_DB));
        }
        if (params.has(WINDOW_SECONDS)) {
            b.windowSize(Duration.ofSeconds(number(params, WINDOW_SECONDS, "a positive whole number of seconds, e.g. --window-seconds 10")));
        }
        if (params.has(OUT_OF_ORDERNESS_MS)) {
            b.outOfOrderness(Duration.ofMillis(number(params, OUT_OF_ORDERNESS_MS, "milliseconds >= 0, e.g. --out-of-orderness-ms 2000")));
        }
        if (params.has(IDLENESS_MS)) {
            b.idleness(Duration.ofMillis(number(params, IDLENESS_MS, "milliseconds >= 0, e.g. --idleness-ms 60000")));
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
            long port = number(params, WEB_PORT, "a TCP port, e.g. --web-port 8081, or 0 for no web UI");
            if (port < 0 || port > 65535) {
                throw invalid(WEB_PORT, port, "a TCP port 1-65535, e.g. --web-port 8081, or 0 for no web UI");
            }
            b.webPort((int) port);
        }
        if (params.has(CHECKPOINT_INTERVAL_MS)) {
            b.checkpointInterval(Duration.ofMillis(number(params, CHECKPOINT_INTERVAL_MS, "milliseconds, e.g. --checkpoint-interval-ms 10000")));
        }
        if (params.has(CLUSTER_NAME)) {
            b.clusterName(text(params, CLUSTER_NAME));
        }
        if (params.has(CHIPS)) {
            long chips = number(params, CHIPS, "a number of chips, e.g. --chips 10000");
            if (chips < 0 || chips > Integer.MAX_VALUE) {
                throw invalid(CHIPS, chips, "a number of chips, e.g. --chips 10000, or 0 to accept any chip id");
            }
            b.chips((int) chips);
        }
        if (params.has(MAX_FUTURE_MS)) {
            b.maxFuture(Duration.ofMillis(number(params, MAX_FUTURE_MS, "milliseconds >= 0, e.g. --max-future-ms 300000")));
        }
        if (params.has(RAW_RETENTION_DAYS)) {
            b.rawRetention(Duration.ofDays(number(params, RAW_RETENTION_DAYS, "a number of days, e.g. --raw-retention-days 7")));
        }
        if (params.has(CAPACITY_1M_RETENTION_DAYS)) {
            b.capacity1mRetention(Duration.ofDays(number(params, CAPACITY_1M_RETENTION_DAYS,
                    "a number of days, e.g. --capacity-1m-retention-days 90")));
        }
        if (params.has(CHECKPOINT_DIR)) {
            b.checkpointDir(text(params, CHECKPOINT_DIR));
        }
        if (params.has(METRICS_INTERVAL_MS)) {
            b.metricsInterval(Duration.ofMillis(number(params, METRICS_INTERVAL_MS,
                    "milliseconds, e.g. --metrics-interval-ms 10000, or 0 to write no self-metrics")));
        }
        if (params.has(RESTORE_LATEST)) {
            b.restoreLatest(flag(params, RESTORE_LATEST));
        }
        if (params.has(CAPACITY_1H_RETENTION_DAYS)) {
            b.capacity1hRetention(Duration.ofDays(number(params, CAPACITY_1H_RETENTION_DAYS,
                    "a number of days, e.g. --capacity-1h-retention-days 1095")));
        }
        return b.build();
    }

    /** Kafka bootstrap servers. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Topic of encoded chip samples. */
    public String topic() {
        return topic;
    }

    /** Topic that receives records which cannot be decoded. */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /** Kafka consumer group id. */
    public String groupId() {
        return groupId;
    }

    /** InfluxDB base URL. */
    public String influxUrl() {
        return influxUrl;
    }

    /** InfluxDB database. */
    public String influxDatabase() {
        return influxDatabase;
    }

    /** Size of the tumbling event-time windows. */
    public Duration windowSize() {
        return windowSize;
    }

    /** Bound on how far out of time order samples arrive. */
    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    /**
     * Silence after which a Kafka partition is treated as idle; zero means never. Long by default: Flink counts the
     * time a split waits behind a busy task (at start-up, say) as silence, and a split wrongly declared idle lets
     * the watermark pass its samples, which then arrive late. A partition that never gets data (fewer chips than
     * partitions) only delays the first windows by this much.
     */
    public Duration idleness() {
        return idleness;
    }

    /** Whether the job stops at the offsets that were latest when it started. */
    public boolean bounded() {
        return bounded;
    }

    /** The job's parallelism, or empty for the environment's default. */
    public OptionalInt parallelism() {
        return parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism);
    }

    /** Port of the local web UI, or 0 for none. */
    public int webPort() {
        return webPort;
    }

    /** Interval between checkpoints. */
    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** Value of the {@code cluster} tag of {@code cluster} points. */
    public String clusterName() {
        return clusterName;
    }

    /** Size of the topology whose chip ids are accepted, or 0 for any id. */
    public int chips() {
        return chips;
    }

    /** How far ahead of the job's clock a sample may be timestamped. */
    public Duration maxFuture() {
        return maxFuture;
    }

    /** Retention of the 10-second points (policy {@code raw_7d}). */
    public Duration rawRetention() {
        return rawRetention;
    }

    /** Retention of the 1-minute capacity points (policy {@code capacity_90d}). */
    public Duration capacity1mRetention() {
        return capacity1mRetention;
    }

    /** Retention of the 1-hour capacity points (policy {@code capacity_3y}). */
    public Duration capacity1hRetention() {
        return capacity1hRetention;
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

    /** Where checkpoints are kept (a URI), or empty for JobManager memory. */
    public Optional<String> checkpointDir() {
        return Optional.ofNullable(checkpointDir);
    }

    /** Whether to start from the newest completed checkpoint under {@link #checkpointDir()}. */
    public boolean restoreLatest() {
        return restoreLatest;
    }

    /**
     * How often the job's self-metrics are written to InfluxDB ({@link io.chipwatch.jobs.metrics.PipelineMetrics});
     * zero when they are not written.
     */
    public Duration metricsInterval() {
        return metricsInterval;
    }

    /** The oldest a sample may be: the raw retention less {@link #STALE_MARGIN}. */
    public Duration maxSampleAge() {
        return rawRetention.minus(STALE_MARGIN);
    }

    /** The checks every decoded sample must pass, against the system clock. */
    public SampleValidator sampleValidator() {
        return new SampleValidator(Clock.systemUTC(), maxFuture, maxSampleAge(), chips);
    }

    @Override
    public String toString() {
        return "AggregationJobConfig{bootstrap=" + bootstrapServers + ", topic=" + topic
                + ", deadLetterTopic=" + deadLetterTopic + ", groupId=" + groupId + ", influxUrl=" + influxUrl
                + ", influxDb=" + influxDatabase + ", window=" + windowSize + ", outOfOrderness=" + outOfOrderness
                + ", idleness=" + idleness + ", bounded=" + bounded + ", parallelism="
                + (parallelism == null ? "default" : parallelism) + ", webPort=" + webPort
                + ", checkpointInterval=" + checkpointInterval + ", clusterName=" + clusterName
                + ", chips=" + (chips == 0 ? "any" : chips) + ", maxFuture=" + maxFuture + ", rawRetention="
                + rawRetention.toDays() + "d, capacity1mRetention=" + capacity1mRetention.toDays()
                + "d, capacity1hRetention=" + capacity1hRetention.toDays() + "d, checkpointDir="
                + (checkpointDir == null ? "none" : checkpointDir) + ", restoreLatest=" + restoreLatest
                + ", metricsInterval=" + metricsInterval + '}';
    }

    private static String text(ParameterTool params, String key) {
        String value = params.get(key);
        if (value == null || value.isBlank() || NO_VALUE.equals(value)) {
            throw new IllegalArgumentException("--" + key + " needs a value; " + hintFor(key));
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
        // "--bounded" alone arrives as the no-value marker.
        if (value == null || NO_VALUE.equals(value) || value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, value, "no value, true or false, e.g. --" + key);
    }

    private static String hintFor(String key) {
        return switch (key) {
            case BOOTSTRAP -> "pass the Kafka bootstrap servers, e.g. --bootstrap 127.0.0.1:9092";
            case INFLUX_URL -> "pass the InfluxDB base URL, e.g. --influx-url http://127.0.0.1:8086";
            default -> "pass a value or leave the option out for its default";
        };
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

    /** Builder of {@link AggregationJobConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic = "chip-samples";
        private String deadLetterTopic = "chip-samples-dead-letter";
        private String groupId = "chipwatch-aggregation";
        private String influxUrl;
        private String influxDatabase = "telemetry";
        private Duration windowSize = Duration.ofSeconds(10);
        private Duration outOfOrderness = Duration.ofMillis(2000);
        private Duration idleness = Duration.ofMillis(60_000);
        private boolean bounded;
        private Integer parallelism;
        private int webPort;
        private Duration checkpointInterval = Duration.ofMillis(10_000);
        private String clusterName = "chipwatch";
        private int chips;
        private Duration maxFuture = Duration.ofMinutes(5);
        private Duration rawRetention = Duration.ofDays(7);
        private Duration capacity1mRetention = Duration.ofDays(90);
        private Duration capacity1hRetention = Duration.ofDays(3 * 365);
        private String checkpointDir;
        private boolean restoreLatest;
        private Duration metricsInterval = io.chipwatch.jobs.metrics.PipelineMetrics.DEFAULT_INTERVAL;

        private Builder() {
        }

        /** Directory (URI or path) for retained checkpoints; {@code null} for JobManager memory. */
        public Builder checkpointDir(String checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        /** Self-metrics reporting interval; {@link Duration#ZERO} turns the reporter off. */
        public Builder metricsInterval(Duration metricsInterval) {
            this.metricsInterval = metricsInterval;
            return this;
        }

        public Builder restoreLatest(boolean restoreLatest) {
            this.restoreLatest = restoreLatest;
            return this;
        }

        /** Accept only the chips of the default-shape topology of this size; 0 for any chip id. */
        public Builder chips(int chips) {
            this.chips = chips;
            return this;
        }

        public Builder maxFuture(Duration maxFuture) {
            this.maxFuture = maxFuture;
            return this;
        }

        public Builder rawRetention(Duration rawRetention) {
            this.rawRetention = rawRetention;
            return this;
        }

        public Builder capacity1mRetention(Duration capacity1mRetention) {
            this.capacity1mRetention = capacity1mRetention;
            return this;
        }

        public Builder capacity1hRetention(Duration capacity1hRetention) {
            this.capacity1hRetention = capacity1hRetention;
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
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

        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder influxUrl(String influxUrl) {
            this.influxUrl = influxUrl;
            return this;
        }

        public Builder influxDatabase(String influxDatabase) {
            this.influxDatabase = influxDatabase;
            return this;
        }

        public Builder windowSize(Duration windowSize) {
            this.windowSize = windowSize;
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

        /** Job parallelism; {@code null} for the environment's default. */
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

        /**
         * @throws IllegalArgumentException if a value is missing or invalid
         */
        public AggregationJobConfig build() {
            return new AggregationJobConfig(this);
        }
    }
}
