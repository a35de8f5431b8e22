package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.common.TopicPartition;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.chipwatch.jobs.checkpoint.LatestCheckpoint;

import static io.chipwatch.jobs.testing.ItSupport.number;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the job and starting it again with {@code --checkpoint-dir} and {@code --restore-latest}, as a restart of
 * the local process does: the second run resumes from the first run's last checkpoint, so the window that was half
 * full when the first run stopped comes out whole, and no window is lost or counted twice.
 *
 * <p>The samples the first run consumed are deleted from the topic before the second run starts. A second run that
 * did not restore the window state (starting from the committed offsets, or replaying the topic from the start)
 * would then miss the first half of the open window, so the test tells a real restore from a replay.
 */
@RealInfrastructure
class CheckpointRestoreIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    private static final int SECONDS = 60;

    @TempDir
    Path checkpoints;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRestartedJobResumesFromTheLastCheckpointWithoutLosingOrDoubleCountingAWindow(KafkaService kafka,
                                                                                     InfluxService influx)
            throws Exception {
        restartAndCheck(kafka, influx, 1, 1);
    }

    /**
     * The same at another parallelism (a cluster that gained a TaskManager, {@code up --cluster --taskmanagers}):
     * the half-full window's keyed state is redistributed over twice the subtasks, the offsets over both sources.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aJobRestoredAtTwiceTheParallelismLosesAndDoubleCountsNothing(KafkaService kafka, InfluxService influx)
            throws Exception {
        restartAndCheck(kafka, influx, 1, 2);
    }

    private void restartAndCheck(KafkaService kafka, InfluxService influx, int firstParallelism,
                                 int secondParallelism) throws Exception {
        String topic = TestTopics.unique("restore_samples");
        String database = TestTopics.unique("restore_telemetry");
        // Two partitions, so that each source subtask of a run at parallelism 2 has one.
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + "_dead", 1);
        String group = TestTopics.unique("restore");

        // First run: seconds 0-24, so windows [0, 10) and [10, 20) close and [20, 30) is half full when it stops.
        ItSupport.produce(kafka.bootstrapServers(), topic, RollupScenario.records(0, 25));
        JobClient first = start(arguments(kafka, influx, topic, database, group, firstParallelism));
        ItSupport.await("the first two windows", Duration.ofMinutes(2), () ->
                ItSupport.points(influx.url(), database, "raw_7d", "cluster").size() >= 2);
        // Offsets are committed when a checkpoint completes: once the commit covers every record, a checkpoint
        // holds all of the first part in its state.
        Map<TopicPartition, Long> firstPartEnd = ItSupport.endOffsets(kafka.bootstrapServers(), topic);
        ItSupport.await("a checkpoint covering the first part", Duration.ofMinutes(1), () ->
                ItSupport.committedAtLeast(kafka.bootstrapServers(), group, firstPartEnd));
        first.cancel().get();
        assertThat(LatestCheckpoint.in(checkpoints.resolve(topic).toUri().toString())).as("retained on cancel")
                .isPresent();
        ItSupport.deleteRecordsBefore(kafka.bootstrapServers(), firstPartEnd);

        // Second run, a new job resuming from the retained checkpoint, while the rest of the samples come in.
        ItSupport.produce(kafka.bootstrapServers(), topic, RollupScenario.records(25, SECONDS + 5));
        JobClient second = start(arguments(kafka, influx, topic, database, group, secondParallelism));
        try {
            List<ChipSample> samples = RollupScenario.samples(0, SECONDS);
            Map<String, ExpectedAggregates.Chip> expected = ExpectedAggregates.chips(samples);
            ItSupport.await("every window", Duration.ofMinutes(2), () ->
                    within(ItSupport.byTagAndTime(ItSupport.points(influx.url(), database, "raw_7d", "cluster"),
                            null)).size() >= SECONDS / 10
                            && within(ItSupport.byTagAndTime(ItSupport.points(influx.url(), database, "raw_7d",
                            "chip"), "chip")).size() >= expected.size());

            Map<String, Map<String, Object>> chips =
                    within(ItSupport.byTagAndTime(ItSupport.points(influx.url(), database, "raw_7d", "chip"), "chip"));
            assertThat(chips.keySet()).isEqualTo(expected.keySet());
            expected.forEach((key, e) -> {
                assertThat(number(chips.get(key), "samples")).as("samples of %s", key).isEqualTo(e.samples());
                assertThat(number(chips.get(key), "util_mean")).as("util_mean of %s", key).isEqualTo(e.utilMean());
            });
            Map<String, Map<String, Object>> cluster =
                    within(ItSupport.byTagAndTime(ItSupport.points(influx.url(), database, "raw_7d", "cluster"), null));
            ExpectedAggregates.rollups(samples, Level.CLUSTER).forEach((key, e) -> {
                assertThat(number(cluster.get(key), "chips_reporting")).as("chips of %s", key).isEqualTo(e.chips());
                assertThat(number(cluster.get(key), "power_sum")).as("power_sum of %s", key).isEqualTo(e.powerSum());
            });
            assertThat(ItSupport.readAll(kafka.bootstrapServers(), topic + "_dead")).as("nothing late").isEmpty();
        } finally {
            second.cancel().get();
        }
    }

    private String[] arguments(KafkaService kafka, InfluxService influx, String topic, String database, String group,
                               int parallelism) {
        return new String[] {
                "--bootstrap", kafka.bootstrapServers(), "--topic", topic, "--dead-letter-topic", topic + "_dead",
                "--group-id", group, "--influx-url", influx.url(), "--influx-db", database,
                "--parallelism", String.valueOf(parallelism), "--checkpoint-interval-ms", "300",
                "--checkpoint-dir", checkpoints.resolve(topic).toString(), "--restore-latest"};
    }

    private static JobClient start(String[] args) throws Exception {
        AggregationJobConfig config = AggregationJobConfig.fromArgs(args);
        StreamExecutionEnvironment env = JobRuns.built(config, AggregationJob::build);
        return env.executeAsync(AggregationJob.JOB_NAME);
    }

    private static Map<String, Map<String, Object>> within(Map<String, Map<String, Object>> points) {
        return points.entrySet().stream()
                .filter(e -> (long) e.getValue().get("time") < RollupScenario.T0 + SECONDS * 1000L)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
