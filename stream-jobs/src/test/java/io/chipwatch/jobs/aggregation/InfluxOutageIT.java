package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.testsupport.DedicatedInflux;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.PipelineTopics;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.chipwatch.jobs.testing.ItSupport.number;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * InfluxDB goes away for 30 seconds while the job runs and samples keep coming: afterwards every expected chip and
 * roll-up point is there exactly once, with exact values (nothing lost while the sink retried, nothing counted twice).
 */
@RealInfrastructure
class InfluxOutageIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(1);

    /** The run: 120 s of samples, then 5 s more so that the watermark passes the end of the last full window. */
    private static final int SECONDS = RollupScenario.SECONDS;
    private static final int TRAILING = 5;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyPointArrivesExactlyOnceAfterA30SecondOutage(KafkaService kafka, DedicatedInflux influx)
            throws Exception {
        PipelineTopics run = PipelineTopics.create(kafka, "outage", 1);
        AggregationJobConfig config = AggregationJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", run.topic(), "--dead-letter-topic", run.deadLetterTopic(),
                "--group-id", TestTopics.unique("outage"), "--influx-url", influx.url(), "--influx-db", run.database(),
                "--parallelism", "1", "--checkpoint-interval-ms", "1000"});
        StreamExecutionEnvironment env = JobRuns.built(config, AggregationJob::build);

        ItSupport.produce(kafka.bootstrapServers(), run.topic(), RollupScenario.records(0, 40));
        JobClient job = env.executeAsync(AggregationJob.JOB_NAME);
        try {
            ItSupport.await("the first windows in InfluxDB", Duration.ofMinutes(2), () ->
                    !ItSupport.points(influx.url(), run.database(), "raw_7d", "chip").isEmpty());

            influx.stop();
            ItSupport.produce(kafka.bootstrapServers(), run.topic(), RollupScenario.records(40, SECONDS + TRAILING));
            Thread.sleep(30_000);
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job rides out the outage").isFalse();
            influx.start();

            List<ChipSample> samples = RollupScenario.samples();
            Map<String, ExpectedAggregates.Chip> expectedChips = ExpectedAggregates.chips(samples);
            ItSupport.await("every chip point", Duration.ofMinutes(2), () ->
                    ItSupport.points(influx.url(), run.database(), "raw_7d", "chip").stream()
                            .filter(p -> (long) p.get("time") < RollupScenario.T0 + SECONDS * 1000L)
                            .count() >= expectedChips.size());
            // The roll-ups of the last window go out with it; give the sink's batch a moment.
            ItSupport.await("every cluster point", Duration.ofMinutes(1), () ->
                    ItSupport.points(influx.url(), run.database(), "raw_7d", "cluster").size() >= SECONDS / 10);

            Map<String, Map<String, Object>> chips = within(ItSupport.byTagAndTime(
                    ItSupport.points(influx.url(), run.database(), "raw_7d", "chip"), "chip"));
            assertThat(chips.keySet()).isEqualTo(expectedChips.keySet());
            expectedChips.forEach((key, e) -> {
                assertThat(number(chips.get(key), "samples")).as("samples of %s", key).isEqualTo(e.samples());
                assertThat(number(chips.get(key), "util_mean")).as("util_mean of %s", key).isEqualTo(e.utilMean());
                assertThat(number(chips.get(key), "power_mean")).as("power_mean of %s", key).isEqualTo(e.powerMean());
            });
            for (Level level : List.of(Level.NODE, Level.RACK, Level.POD, Level.CLUSTER, Level.JOB)) {
                Map<String, Map<String, Object>> actual = within(ItSupport.byTagAndTime(ItSupport.points(influx.url(),
                        run.database(), "raw_7d", level.label()), level == Level.CLUSTER ? null : level.label()));
                Map<String, ExpectedAggregates.Rollup> expected = ExpectedAggregates.rollups(samples, level);
                assertThat(actual.keySet()).as("%s points", level).isEqualTo(expected.keySet());
                String chipsField = level == Level.JOB ? "chips" : "chips_reporting";
                expected.forEach((key, e) -> {
                    assertThat(number(actual.get(key), chipsField)).as("chips of %s", key).isEqualTo(e.chips());
                    assertThat(number(actual.get(key), "power_sum")).as("power_sum of %s", key).isEqualTo(e.powerSum());
                    assertThat(number(actual.get(key), "util_mean")).as("util_mean of %s", key).isEqualTo(e.utilMean());
                });
            }
        } finally {
            job.cancel().get();
        }
    }

    /** The points of the windows of the run proper (not the trailing seconds, whose window stays open). */
    private static Map<String, Map<String, Object>> within(Map<String, Map<String, Object>> points) {
        return points.entrySet().stream()
                .filter(e -> (long) e.getValue().get("time") < RollupScenario.T0 + SECONDS * 1000L)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
