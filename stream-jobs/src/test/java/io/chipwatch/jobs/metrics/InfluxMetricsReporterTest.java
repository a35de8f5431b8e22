package io.chipwatch.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.jobs.sink.influx.InfluxClient;
import io.chipwatch.jobs.sink.influx.RetentionPolicySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.filter.DefaultReporterFilters;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.junit.jupiter.api.Test;

class InfluxMetricsReporterTest {
    private static final String JM_JOB = "jobmanager.job";
    private static final String OPERATOR = "taskmanager.job.task.operator";

    private final FakeClient client = new FakeClient();
    private final InfluxMetricsReporter reporter = new InfluxMetricsReporter(url -> client);

    @Test
    void writesCheckpointsLagSinkCountersAndDeadLettersAsThePipelineMeasurements() {
        open();
        MetricGroup job = group(JM_JOB, Map.of("<job_name>", "chipwatch-aggregation", "<job_id>", "abc"));
        reporter.notifyOfAddedMetric(gauge(1234L), "lastCheckpointDuration", job);
        reporter.notifyOfAddedMetric(gauge(7L), "numberOfCompletedCheckpoints", job);
        reporter.notifyOfAddedMetric(gauge(0L), "numberOfFailedCheckpoints", job);
        reporter.notifyOfAddedMetric(gauge(55L), "uptime", job);
        MetricGroup source = operator("Source: chip-samples", "1");
        reporter.notifyOfAddedMetric(gauge(420L), "pendingRecords", source);
        reporter.notifyOfAddedMetric(new MeterView(new SimpleCounter()), "numRecordsInPerSecond", source);
        reporter.notifyOfAddedMetric(gauge(Double.NaN), "records-lag-max",
                group(OPERATOR + ".KafkaSourceReader.KafkaConsumer", operatorVars("Source: chip-samples", "1")));
        MetricGroup sink = operator("influx-chip-sink: Writer", "0");
        SimpleCounter retries = new SimpleCounter();
        retries.inc(3);
        reporter.notifyOfAddedMetric(retries, "influxWriteRetries", sink);
        reporter.notifyOfAddedMetric(new SimpleCounter(), "influxWriteFailures", sink);
        SimpleCounter late = new SimpleCounter();
        late.inc(2);
        reporter.notifyOfAddedMetric(late, "LATE", group(OPERATOR + ".deadLetters", operatorVars("late-samples", "0")));

        reporter.report();

        assertThat(client.lines()).containsExactlyInAnyOrder(
                "pipeline_job,job=chipwatch-aggregation checkpoint_duration_ms=1234i,checkpoints_completed=7i,"
                        + "checkpoints_failed=0i 1000000",
                "pipeline_operator,job=j,operator=Source:\\ chip-samples,subtask=1 "
                        + "kafka_lag_records=420i,records_in_per_s=0.0 1000000",
                "pipeline_operator,job=j,operator=influx-chip-sink:\\ Writer,subtask=0 "
                        + "influx_write_failures=0i,influx_write_retries=3i 1000000",
                "pipeline_dead_letters,job=j,operator=late-samples,reason=LATE,subtask=0 count=2i "
                        + "1000000");
    }

    @Test
    void negativeGaugesMeanNoValueYet() {
        open();
        MetricGroup job = group(JM_JOB, Map.of("<job_name>", "j"));
        reporter.notifyOfAddedMetric(gauge(-1L), "lastCheckpointDuration", job);
        reporter.notifyOfAddedMetric(gauge(0L), "numberOfCompletedCheckpoints", job);
        reporter.report();
        assertThat(client.lines()).containsExactly("pipeline_job,job=j checkpoints_completed=0i 1000000");
    }

    @Test
    void aRemovedMetricsLastValueIsWrittenOnce() {
        open();
        SimpleCounter written = new SimpleCounter();
        MetricGroup sink = operator("influx-rollup-sink: Writer", "0");
        reporter.notifyOfAddedMetric(written, "influxPointsWritten", sink);
        written.inc(5000);
        reporter.notifyOfRemovedMetric(written, "influxPointsWritten", sink);
        written.inc(1);

        reporter.report();
        reporter.report();

        assertThat(client.lines()).containsExactly(
                "pipeline_operator,job=j,operator=influx-rollup-sink:\\ Writer,subtask=0 influx_points_written=5000i 1000000");
    }

    @Test
    void aFailedWriteIsNotFatal() {
        open();
        client.fail = true;
        reporter.notifyOfAddedMetric(gauge(1L), "numRestarts", group(JM_JOB, Map.of("<job_name>", "j")));
        reporter.report();
        assertThat(client.writes).isEmpty();
    }

    @Test
    void flinksFilterPassesExactlyTheMetricsTheReporterWrites() {
        Configuration conf = PipelineMetrics.reporterConfiguration("http://influx:8086", "telemetry",
                Duration.ofSeconds(10));
        Configuration reporterConf = new Configuration();
        String prefix = "metrics.reporter." + PipelineMetrics.REPORTER_NAME + ".";
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                reporterConf.setString(k.substring(prefix.length()), v);
            }
        });
        ReporterFilter<Metric> filter = DefaultReporterFilters.metricsFromConfiguration(reporterConf);
        assertThat(filter.filter(gauge(1L), "lastCheckpointDuration", JM_JOB)).isTrue();
        assertThat(filter.filter(gauge(1L), "numberOfFailedCheckpoints", JM_JOB)).isTrue();
        assertThat(filter.filter(gauge(1L), "pendingRecords", OPERATOR)).isTrue();
        assertThat(filter.filter(new SimpleCounter(), "influxWriteFailures", OPERATOR)).isTrue();
        assertThat(filter.filter(gauge(1.0), "records-lag-max", OPERATOR + ".KafkaSourceReader.KafkaConsumer")).isTrue();
        assertThat(filter.filter(new SimpleCounter(), "OUT_OF_RANGE", OPERATOR + ".deadLetters")).isTrue();
        // Hundreds of others per operator and subtask stay out.
        assertThat(filter.filter(new SimpleCounter(), "numBytesIn", OPERATOR)).isFalse();
        assertThat(filter.filter(gauge(1.0), "fetch-rate", OPERATOR + ".KafkaSourceReader.KafkaConsumer")).isFalse();
        assertThat(filter.filter(gauge(1L), "uptime", JM_JOB)).isFalse();
        assertThat(filter.filter(gauge(1L), "pendingRecords", "taskmanager.job.task")).isFalse();
        assertThat(conf.toMap()).containsEntry(prefix + "factory.class", InfluxMetricsReporterFactory.class.getName());
    }

    @Test
    void theReporterConfigurationNamesTheCredentialsFileOnly() {
        String prefix = "metrics.reporter." + PipelineMetrics.REPORTER_NAME + ".";
        Configuration with = PipelineMetrics.reporterConfiguration("http://influx:8086", "telemetry",
                Optional.of(Path.of("/home/op/.config/chipwatch/influxdb-writer")), Duration.ofSeconds(10));
        assertThat(with.toMap()).containsEntry(prefix + PipelineMetrics.CREDENTIALS_FILE,
                "/home/op/.config/chipwatch/influxdb-writer");
        assertThat(PipelineMetrics.reporterConfiguration("http://influx:8086", "telemetry", Duration.ofSeconds(10))
                .toMap()).doesNotContainKey(prefix + PipelineMetrics.CREDENTIALS_FILE);
    }

    private void open() {
        MetricConfig config = new MetricConfig();
        config.setProperty("url", "http://influx:8086");
        config.setProperty("database", "telemetry");
        reporter.open(config);
        reporter.clock = () -> 1_000_000L;
    }

    private static <T> Gauge<T> gauge(T value) {
        return () -> value;
    }

    private static MetricGroup operator(String name, String subtask) {
        return group(OPERATOR, operatorVars(name, subtask));
    }

    private static Map<String, String> operatorVars(String name, String subtask) {
        return Map.of("<job_name>", "j", "<operator_name>", name, "<subtask_index>", subtask);
    }

    private static MetricGroup group(String scope, Map<String, String> variables) {
        return new ScopedGroup(scope, variables);
    }

    /** A metric group with a logical scope, as Flink's own groups have. */
    private static final class ScopedGroup extends UnregisteredMetricsGroup implements LogicalScopeProvider {
        private final String scope;
        private final Map<String, String> variables;

        ScopedGroup(String scope, Map<String, String> variables) {
            this.scope = scope;
            this.variables = variables;
        }

        @Override
        public Map<String, String> getAllVariables() {
            return variables;
        }

        @Override
        public String getLogicalScope(CharacterFilter filter) {
            return scope;
        }

        @Override
        public String getLogicalScope(CharacterFilter filter, char delimiter) {
            return scope.replace('.', delimiter);
        }

        @Override
        public MetricGroup getWrappedMetricGroup() {
            return this;
        }
    }

    private static final class FakeClient implements InfluxClient {
        final List<String> writes = new ArrayList<>();
        boolean fail;

        List<String> lines() {
            return writes.stream().flatMap(w -> w.lines()).toList();
        }

        @Override
        public void createDatabase(String database) {
        }

        @Override
        public void ensureRetentionPolicies(String database, List<RetentionPolicySpec> policies) {
        }

        @Override
        public void write(String database, String retentionPolicy, String points) {
            assertThat(database).isEqualTo("telemetry");
            assertThat(retentionPolicy).as("the database's default policy").isNull();
            if (fail) {
                throw new RuntimeException("connection refused");
            }
            writes.add(points);
        }

        @Override
        public void close() {
        }
    }
}
