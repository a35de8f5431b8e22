package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.launch.JobEnvironment;
import io.chipwatch.jobs.metrics.PipelineMetrics;
import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.KeyedValue;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.PipelineTopics;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregation job, in the environment {@code main} creates ({@link JobEnvironment#create}: a local
 * MiniCluster, no test cluster), writes its self-metrics to the real InfluxDB: checkpoints from the JobManager,
 * Kafka lag and record rates from the source, the InfluxDB sinks' counters and the dead letters per reason. Fails
 * if the reporter is not loaded, not configured, filtered wrongly or writes nothing.
 */
@RealInfrastructure
class PipelineMetricsIT {

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theJobWritesCheckpointsKafkaLagSinkCountersAndDeadLettersToInfluxDb(KafkaService kafka, InfluxService influx)
            throws Exception {
        PipelineTopics run = PipelineTopics.create(kafka, "metrics", 2);
        List<KeyedValue> records = HandMadeSamples.records();
        ItSupport.produce(kafka.bootstrapServers(), run.topic(), records);

        AggregationJobConfig config = AggregationJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", run.topic(), "--dead-letter-topic", run.deadLetterTopic(),
                "--group-id", TestTopics.unique("metrics"), "--influx-url", influx.url(), "--influx-db", run.database(),
                "--parallelism", "1", "--checkpoint-interval-ms", "500", "--metrics-interval-ms", "500"});
        StreamExecutionEnvironment env = JobEnvironment.create(config.job());
        AggregationJob.build(env, config);
        JobClient job = env.executeAsync(AggregationJob.JOB_NAME);
        try {
            ItSupport.await("completed checkpoints in " + PipelineMetrics.JOB, Duration.ofMinutes(2), () ->
                    rows(influx, run.database(), PipelineMetrics.JOB).stream().anyMatch(r ->
                            r.get("checkpoints_completed") instanceof Number n && n.longValue() >= 2
                                    && r.get("checkpoint_duration_ms") != null));
            ItSupport.await("Kafka lag, sink counters and dead letters", Duration.ofMinutes(1), () ->
                    rows(influx, run.database(), PipelineMetrics.OPERATOR).stream().anyMatch(r ->
                            r.get("kafka_lag_records") != null)
                            && rows(influx, run.database(), PipelineMetrics.OPERATOR).stream().anyMatch(r ->
                            r.get("influx_points_written") instanceof Number n && n.longValue() > 0)
                            && !rows(influx, run.database(), PipelineMetrics.DEAD_LETTERS).isEmpty());
        } finally {
            job.cancel().get();
        }

        List<Map<String, Object>> jobRows = rows(influx, run.database(), PipelineMetrics.JOB);
        assertThat(jobRows).allSatisfy(r -> assertThat(r.get("job")).isEqualTo(AggregationJob.JOB_NAME));
        // Flink counts as failed the checkpoints it triggers before every task runs (and the one cut short by the
        // cancel), so failures are not zero here; but a total never goes down while the job runs.
        List<Long> failed = jobRows.stream().map(r -> ((Number) r.get("checkpoints_failed")).longValue()).toList();
        assertThat(failed).isSorted();
        // A checkpoint of this small job takes milliseconds to seconds, not nothing and not minutes.
        assertThat(jobRows).map(r -> r.get("checkpoint_duration_ms")).filteredOn(v -> v != null)
                .allSatisfy(v -> assertThat(((Number) v).longValue()).isBetween(0L, 60_000L));

        List<Map<String, Object>> operators = rows(influx, run.database(), PipelineMetrics.OPERATOR);
        // The source's lag: never more than what is in the run.topic(), and it drains to 0 once everything is read.
        List<Long> lag = operators.stream().filter(r -> r.get("kafka_lag_records") != null)
                .map(r -> ((Number) r.get("kafka_lag_records")).longValue()).toList();
        assertThat(lag).isNotEmpty().allSatisfy(l -> assertThat(l).isBetween(0L, (long) records.size()));
        assertThat(lag).contains(0L);
        assertThat(operators).filteredOn(r -> r.get("kafka_lag_records") != null)
                .allSatisfy(r -> assertThat((String) r.get("operator")).contains("chip-samples"));
        assertThat(operators).anySatisfy(r -> assertThat(r.get("records_in_per_s")).isNotNull());
        assertThat(operators).filteredOn(r -> r.get("influx_write_failures") != null)
                .allSatisfy(r -> assertThat(((Number) r.get("influx_write_failures")).longValue()).isZero());
        // HandMadeSamples holds one malformed record.
        assertThat(rows(influx, run.database(), PipelineMetrics.DEAD_LETTERS))
                .anySatisfy(r -> {
                    assertThat(r.get("reason")).isEqualTo("malformed_body");
                    assertThat(((Number) r.get("count")).longValue()).isEqualTo(1L);
                });
    }

    private static List<Map<String, Object>> rows(InfluxService influx, String database, String measurement) {
        return ItSupport.points(influx.url(), database, AggregationJobConfig.RAW_POLICY, measurement);
    }
}
