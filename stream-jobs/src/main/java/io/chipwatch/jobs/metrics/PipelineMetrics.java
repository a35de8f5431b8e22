package io.chipwatch.jobs.metrics;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Metric;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the jobs write about themselves to InfluxDB, and the Flink configuration that makes them do it.
 *
 * <p>Only the metrics in the table below are written, whatever the size of the cluster: Flink has hundreds of
 * metrics per operator and subtask, none of them per chip, and the dashboards need a dozen. The table is both the
 * reporter's filter ({@code metrics.reporter.chipwatch_influx.filter.includes}, so Flink does not even hand the
 * others to the reporter) and its mapping from Flink names to measurements and fields.
 *
 * <table>
 *   <caption>measurements</caption>
 *   <tr><th>measurement, tags</th><th>field (type)</th><th>Flink metric (scope)</th></tr>
 *   <tr><td rowspan="6">{@value #JOB}: job</td><td>checkpoint_duration_ms (integer)</td>
 *       <td>lastCheckpointDuration (jobmanager.job)</td></tr>
 *   <tr><td>checkpoints_completed (integer)</td><td>numberOfCompletedCheckpoints</td></tr>
 *   <tr><td>checkpoints_failed (integer)</td><td>numberOfFailedCheckpoints</td></tr>
 *   <tr><td>checkpoints_in_progress (integer)</td><td>numberOfInProgressCheckpoints</td></tr>
 *   <tr><td>checkpoint_size_bytes (integer)</td><td>lastCheckpointSize</td></tr>
 *   <tr><td>restarts (integer)</td><td>numRestarts</td></tr>
 *   <tr><td rowspan="8">{@value #OPERATOR}: job, operator, subtask</td><td>records_in_per_s (float)</td>
 *       <td>numRecordsInPerSecond (taskmanager.job.task.operator)</td></tr>
 *   <tr><td>records_out_per_s (float)</td><td>numRecordsOutPerSecond</td></tr>
 *   <tr><td>kafka_lag_records (integer)</td><td>pendingRecords (the Kafka source)</td></tr>
 *   <tr><td>kafka_records_lag_max (float)</td><td>records-lag-max (…operator.KafkaSourceReader.KafkaConsumer)</td></tr>
 *   <tr><td>influx_points_written (integer)</td><td>influxPointsWritten (the InfluxDB sinks)</td></tr>
 *   <tr><td>influx_write_retries (integer)</td><td>influxWriteRetries</td></tr>
 *   <tr><td>influx_write_failures (integer)</td><td>influxWriteFailures</td></tr>
 *   <tr><td>influx_points_beyond_retention (integer)</td><td>influxPointsBeyondRetention</td></tr>
 *   <tr><td>{@value #DEAD_LETTERS}: job, operator, subtask, reason</td><td>count (integer)</td>
 *       <td>every counter of group deadLetters (…operator.deadLetters), named by reason</td></tr>
 * </table>
 *
 * <p>Counters are totals since the subtask started (use {@code non_negative_difference} for increments); gauges and
 * rates are the value at the report. A point is written every reporting interval, timestamped at the report.
 */
public final class PipelineMetrics {
    /** Name of the reporter in Flink's configuration ({@code metrics.reporter.<name>.*}). */
    public static final String REPORTER_NAME = "chipwatch_influx";
    /** Per-job measurement (checkpoints, restarts), from the JobManager. */
    public static final String JOB = "pipeline_job";
    /** Per-operator-subtask measurement (record rates, Kafka lag, InfluxDB sink counters). */
    public static final String OPERATOR = "pipeline_operator";
    /** Per-reason dead-letter counts of the operators that produce dead letters. */
    public static final String DEAD_LETTERS = "pipeline_dead_letters";
    /** The reporting interval the jobs use unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    static final String URL = "url";
    static final String DATABASE = "database";
    /** The path of an InfluxDB credentials file (never the password itself). */
    static final String CREDENTIALS_FILE = "credentials-file";

    static final String JOB_SCOPE = "jobmanager.job";
    static final String OPERATOR_SCOPE = "taskmanager.job.task.operator";
    static final String KAFKA_CONSUMER_SCOPE = OPERATOR_SCOPE + ".KafkaSourceReader.KafkaConsumer";
    static final String DEAD_LETTER_SCOPE = OPERATOR_SCOPE + ".deadLetters";

    /** Flink's variables (scope placeholders) that become tags. */
    static final String VAR_JOB = "<job_name>";
    static final String VAR_OPERATOR = "<operator_name>";
    static final String VAR_SUBTASK = "<subtask_index>";

    /** A field a Flink metric becomes. */
    record Field(String measurement, String name, boolean integer) {
    }

    /** scope -> Flink metric name -> field; the dead-letter scope is handled apart (every name is a reason). */
    static final Map<String, Map<String, Field>> FIELDS = new LinkedHashMap<>();

    static {
        Map<String, Field> job = new LinkedHashMap<>();
        job.put("lastCheckpointDuration", new Field(JOB, "checkpoint_duration_ms", true));
        job.put("numberOfCompletedCheckpoints", new Field(JOB, "checkpoints_completed", true));
        job.put("numberOfFailedCheckpoints", new Field(JOB, "checkpoints_failed", true));
        job.put("numberOfInProgressCheckpoints", new Field(JOB, "checkpoints_in_progress", true));
        job.put("lastCheckpointSize", new Field(JOB, "checkpoint_size_bytes", true));
        job.put("numRestarts", new Field(JOB, "restarts", true));
        FIELDS.put(JOB_SCOPE, job);
        Map<String, Field> operator = new LinkedHashMap<>();
        operator.put("numRecordsInPerSecond", new Field(OPERATOR, "records_in_per_s", false));
        operator.put("numRecordsOutPerSecond", new Field(OPERATOR, "records_out_per_s", false));
        operator.put("pendingRecords", new Field(OPERATOR, "kafka_lag_records", true));
        operator.put("influxPointsWritten", new Field(OPERATOR, "influx_points_written", true));
        operator.put("influxWriteRetries", new Field(OPERATOR, "influx_write_retries", true));
        operator.put("influxWriteFailures", new Field(OPERATOR, "influx_write_failures", true));
        operator.put("influxPointsBeyondRetention", new Field(OPERATOR, "influx_points_beyond_retention", true));
        FIELDS.put(OPERATOR_SCOPE, operator);
        FIELDS.put(KAFKA_CONSUMER_SCOPE, Map.of("records-lag-max", new Field(OPERATOR, "kafka_records_lag_max", false)));
    }

    private PipelineMetrics() {
    }

    /**
     * The field {@code metric} is written as, with its tags, or {@code null} if it is not one of ours.
     *
     * @param logicalScope Flink's logical scope of the metric's group, dot-separated ({@code jobmanager.job})
     * @param variables    the group's variables ({@code <job_name>} etc.)
     */
    static Target target(String logicalScope, String name, Metric metric, Map<String, String> variables) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("job", variables.getOrDefault(VAR_JOB, "unknown"));
        if (DEAD_LETTER_SCOPE.equals(logicalScope)) {
            putOperatorTags(tags, variables);
            tags.put("reason", name);
            return new Target(new Field(DEAD_LETTERS, "count", true), tags);
        }
        Map<String, Field> fields = FIELDS.get(logicalScope);
        Field field = fields == null ? null : fields.get(name);
        if (field == null) {
            return null;
        }
        if (!JOB_SCOPE.equals(logicalScope)) {
            putOperatorTags(tags, variables);
        }
        return new Target(field, tags);
    }

    private static void putOperatorTags(Map<String, String> tags, Map<String, String> variables) {
        tags.put("operator", variables.getOrDefault(VAR_OPERATOR, "unknown"));
        tags.put("subtask", variables.getOrDefault(VAR_SUBTASK, "0"));
    }

    /** Where one metric goes: a field of the point with these tags. */
    record Target(Field field, Map<String, String> tags) {
    }

    /** Flink's reporter filter for exactly the metrics of {@link #FIELDS} and the dead-letter counters. */
    static List<String> filterIncludes() {
        List<String> includes = new ArrayList<>();
        FIELDS.forEach((scope, fields) -> includes.add(scope + ":" + String.join(",", fields.keySet())));
        includes.add(DEAD_LETTER_SCOPE + ":*");
        return includes;
    }

    /**
     * The cluster configuration that runs {@link InfluxMetricsReporter} every {@code interval}, writing to
     * {@code database} at {@code url}. Reporters belong to the cluster, not the job: this must reach the
     * configuration a MiniCluster (or session cluster) starts with.
     */
    public static Configuration reporterConfiguration(String url, String database, Duration interval) {
        return reporterConfiguration(url, database, Optional.empty(), interval);
    }

    /**
     * As {@link #reporterConfiguration(String, String, Duration)}, authenticating with the credentials file
     * {@code credentialsFile} (its path only is in the configuration), else the environment's.
     */
    public static Configuration reporterConfiguration(String url, String database, Optional<Path> credentialsFile,
                                                      Duration interval) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("reporting interval must be positive: " + interval);
        }
        String prefix = "metrics.reporter." + REPORTER_NAME + ".";
        Configuration conf = new Configuration();
        conf.set(string(prefix + "factory.class"), InfluxMetricsReporterFactory.class.getName());
        conf.set(ConfigOptions.key(prefix + "interval").durationType().noDefaultValue(), interval);
        conf.set(string(prefix + URL), url);
        conf.set(string(prefix + DATABASE), database);
        credentialsFile.ifPresent(file -> conf.set(string(prefix + CREDENTIALS_FILE), file.toAbsolutePath().toString()));
        conf.set(ConfigOptions.key(prefix + "filter.includes").stringType().asList().noDefaultValue(),
                filterIncludes());
        return conf;
    }

    private static ConfigOption<String> string(String key) {
        return ConfigOptions.key(key).stringType().noDefaultValue();
    }
}
