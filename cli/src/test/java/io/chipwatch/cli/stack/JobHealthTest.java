package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * {@link FlinkJobProgress} on answers of Flink 2.2's REST API (a session cluster's JobManager listing both jobs),
 * {@link JobLag}, and the degraded rule of {@link JobHealth}.
 */
class JobHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_764_770_000_000L;
    private static final String AGG = "7e2d0c5b9a8f4e3d2c1b0a9f8e7d6c5b";

    /** {@code /jobs/overview} of a JobManager running both jobs, an old aggregation job cancelled. */
    private static final String OVERVIEW = "{\"jobs\":["
            + "{\"jid\":\"0f0e0d0c0b0a09080706050403020100\",\"name\":\"chipwatch-aggregation\",\"start-time\":"
            + (T0 - 900_000) + ",\"end-time\":" + (T0 - 800_000) + ",\"duration\":100000,\"state\":\"CANCELED\","
            + "\"last-modification\":" + (T0 - 800_000) + ",\"tasks\":{\"running\":0,\"canceled\":12,\"total\":12}},"
            + "{\"jid\":\"3c4d5e6f708192a3b4c5d6e7f8091a2b\",\"name\":\"chipwatch-detection\",\"start-time\":"
            + (T0 - 120_000) + ",\"end-time\":-1,\"duration\":120000,\"state\":\"RUNNING\",\"last-modification\":"
            + (T0 - 119_000) + ",\"tasks\":{\"running\":14,\"total\":14}},"
            + "{\"jid\":\"" + AGG + "\",\"name\":\"chipwatch-aggregation\",\"start-time\":" + (T0 - 95_000)
            + ",\"end-time\":-1,\"duration\":95000,\"state\":\"RUNNING\",\"last-modification\":" + (T0 - 94_000)
            + ",\"tasks\":{\"running\":12,\"total\":12}}]}";

    /** {@code /jobs/:id/checkpoints}: 9 completed, 1 failed, the newest (11) in progress, 10 completed 4 s ago. */
    private static final String CHECKPOINTS = "{\"counts\":{\"restored\":1,\"total\":11,\"in_progress\":1,"
            + "\"completed\":9,\"failed\":1},\"summary\":{\"checkpointed_size\":{\"min\":40211,\"max\":48213,"
            + "\"avg\":45110},\"end_to_end_duration\":{\"min\":120,\"max\":950,\"avg\":310}},"
            + "\"latest\":{\"completed\":{\"className\":\"completed\",\"id\":10,\"status\":\"COMPLETED\","
            + "\"is_savepoint\":false,\"savepointFormat\":null,\"trigger_timestamp\":" + (T0 - 4_300)
            + ",\"latest_ack_timestamp\":" + (T0 - 4_000) + ",\"checkpointed_size\":48213,\"state_size\":48213,"
            + "\"end_to_end_duration\":300,\"alignment_buffered\":0,\"processed_data\":0,\"persisted_data\":0,"
            + "\"num_subtasks\":12,\"num_acknowledged_subtasks\":12,\"checkpoint_type\":\"CHECKPOINT\","
            + "\"tasks\":{},\"external_path\":\"file:/var/flink/checkpoints/" + AGG + "/chk-10\","
            + "\"discarded\":false},\"savepoint\":null,\"failed\":{\"className\":\"failed\",\"id\":7,"
            + "\"status\":\"FAILED\",\"trigger_timestamp\":" + (T0 - 34_000) + ",\"failure_timestamp\":"
            + (T0 - 33_000) + ",\"failure_message\":\"Checkpoint expired before completing.\"},"
            + "\"restored\":{\"id\":3,\"restore_timestamp\":" + (T0 - 94_000) + ",\"is_savepoint\":false,"
            + "\"external_path\":\"file:/var/flink/checkpoints/old/chk-3\"}},\"history\":["
            + "{\"className\":\"in_progress\",\"id\":11,\"status\":\"IN_PROGRESS\",\"trigger_timestamp\":"
            + (T0 - 300) + ",\"num_subtasks\":12,\"num_acknowledged_subtasks\":5},"
            + "{\"className\":\"completed\",\"id\":10,\"status\":\"COMPLETED\",\"trigger_timestamp\":" + (T0 - 4_300)
            + ",\"latest_ack_timestamp\":" + (T0 - 4_000) + "}]}";

    private static final String CONFIG = "{\"mode\":\"exactly_once\",\"interval\":10000,\"timeout\":600000,"
            + "\"min_pause\":0,\"max_concurrent\":1,\"externalization\":{\"enabled\":true,"
            + "\"delete_on_cancellation\":false},\"state_backend\":\"HashMapStateBackend\","
            + "\"checkpoint_storage\":\"FileSystemCheckpointStorage\",\"unaligned_checkpoints\":false,"
            + "\"tolerable_failed_checkpoints\":0,\"aligned_checkpoint_timeout\":0,"
            + "\"checkpoints_after_tasks_finish\":true,\"state_changelog_enabled\":false,"
            + "\"changelog_periodic_materialization_interval\":600000,\"changelog_storage\":\"memory\"}";

    private static final String RESTARTS = "[{\"id\":\"numRestarts\",\"value\":\"2\"}]";

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static FlinkJobProgress aggregation() throws Exception {
        JsonNode job = FlinkJobProgress.runningJob(json(OVERVIEW), "chipwatch-aggregation").orElseThrow();
        return FlinkJobProgress.of(job, json(CHECKPOINTS), json(CONFIG), json(RESTARTS));
    }

    @Test
    void theRunningJobOfItsNameAndItsCheckpointsAreReadFromFlinksAnswers() throws Exception {
        FlinkJobProgress p = aggregation();
        assertThat(p.jobId()).as("the RUNNING one, not the cancelled job of the same name").isEqualTo(AGG);
        assertThat(p.startMillis()).isEqualTo(T0 - 95_000);
        assertThat(p.intervalMs()).isEqualTo(10_000);
        assertThat(p.restarts()).isEqualTo(2L);
        assertThat(p.checkpoints().completed()).isEqualTo(9);
        assertThat(p.checkpoints().failed()).isEqualTo(1);
        assertThat(p.checkpoints().inProgress()).isEqualTo(1);
        assertThat(p.checkpoints().lastCompletedId()).isEqualTo(10);
        assertThat(p.checkpoints().failedInARow()).as("the newest finished one completed").isZero();
        assertThat(p.checkpoints().lastCompletedAgeS(T0)).isEqualTo(4.0);
        assertThat(FlinkJobProgress.runningJob(json(OVERVIEW), "chipwatch-detection").orElseThrow()
                .path("jid").asText()).isEqualTo("3c4d5e6f708192a3b4c5d6e7f8091a2b");
        assertThat(FlinkJobProgress.runningJob(json("{\"jobs\":[]}"), "chipwatch-detection")).isEmpty();

        // Answers missing (a REST API that stopped answering between the calls): nothing made up.
        FlinkJobProgress partial = FlinkJobProgress.of(json(OVERVIEW).path("jobs").get(2), null, null,
                json("[]"));
        assertThat(partial.checkpoints()).isNull();
        assertThat(partial.intervalMs()).isEqualTo(-1);
        assertThat(partial.restarts()).isNull();
    }

    @Test
    void aJobThatCheckpointsAndKeepsUpIsUpWithItsFiguresAndOneLineForTheTable() throws Exception {
        JobLag lag = JobLag.of(Map.of(0, 10_000L, 1, 9_000L), Map.of(0, 9_000L, 1, 8_766L), 100.0);
        JobHealth h = JobHealth.judge(true, aggregation(), lag, true, 14.2, T0);
        assertThat(h.state()).isEqualTo("up");
        assertThat(h.problems()).isEmpty();
        assertThat(h.lastCheckpointAgeS()).isEqualTo(4.0);
        assertThat(h.checkpointIntervalS()).isEqualTo(10.0);
        assertThat(h.uptimeS()).isEqualTo(95.0);
        assertThat(h.lagRecords()).isEqualTo(1_234L);
        assertThat(h.lagS()).isCloseTo(12.34, offset(1e-9));
        assertThat(h.newestPointAgeS()).isEqualTo(14.2);
        assertThat(h.note()).isEqualTo("last checkpoint 4 s ago, Flink restarted it 2 times, 1,234 records behind "
                + "(12 s), newest point 14 s old");

        JsonNode asJson = JSON.valueToTree(h);
        assertThat(asJson.get("lastCheckpointAgeS").asDouble()).isEqualTo(4.0);
        assertThat(asJson.get("lagRecords").asLong()).isEqualTo(1_234);
        assertThat(asJson.has("note")).as("the table's text is not a JSON field").isFalse();
    }

    @Test
    void aLastCheckpointOlderThanThreeIntervalsIsDegraded() throws Exception {
        JobLag lag = JobLag.of(Map.of(0, 100L), Map.of(0, 100L), 100.0);
        // 4 s old at T0; at T0 + 26 s it is 30 s old: exactly the limit, still up.
        assertThat(JobHealth.judge(true, aggregation(), lag, false, null, T0 + 26_000).state()).isEqualTo("up");
        JobHealth late = JobHealth.judge(true, aggregation(), lag, false, null, T0 + 27_000);
        assertThat(late.state()).isEqualTo("degraded");
        assertThat(late.problems()).containsExactly("last checkpoint 31 s ago, over 30 s (3 intervals)");
        assertThat(late.note()).endsWith("; last checkpoint 31 s ago, over 30 s (3 intervals)");
    }

    @Test
    void noCheckpointYetIsDegradedOnlyOnceTheJobHasRunThreeIntervals() throws Exception {
        JsonNode job = json(OVERVIEW).path("jobs").get(2);   // started T0 - 95 s
        FlinkJobProgress none = FlinkJobProgress.of(job, json("{\"counts\":{\"restored\":0,\"total\":0,"
                + "\"in_progress\":0,\"completed\":0,\"failed\":0},\"summary\":{},\"latest\":{\"completed\":null,"
                + "\"savepoint\":null,\"failed\":null,\"restored\":null},\"history\":[]}"), json(CONFIG), null);
        JobHealth young = JobHealth.judge(true, none, null, false, null, T0 - 70_000);
        assertThat(young.state()).isEqualTo("up");
        assertThat(young.note()).isEqualTo("no checkpoint yet (started 25 s ago)");
        JobHealth stuck = JobHealth.judge(true, none, null, false, null, T0);
        assertThat(stuck.state()).isEqualTo("degraded");
        assertThat(stuck.problems()).containsExactly("no checkpoint completed in the 95 s since it started "
                + "(limit 30 s)");
    }

    @Test
    void aLagOfMoreThanSixtySecondsOfSamplesIsDegradedButOnlyWhileSamplesFlow() throws Exception {
        JobLag behind = JobLag.of(Map.of(0, 20_000L), Map.of(0, 13_900L), 100.0);   // 61 s
        JobHealth h = JobHealth.judge(true, aggregation(), behind, false, null, T0);
        assertThat(h.state()).isEqualTo("degraded");
        assertThat(h.problems()).containsExactly("61 s of samples behind, over 60 s");
        JobLag justUnder = JobLag.of(Map.of(0, 20_000L), Map.of(0, 14_000L), 100.0);   // 60 s
        assertThat(JobHealth.judge(true, aggregation(), justUnder, false, null, T0).state()).isEqualTo("up");
        // The collector is silent: the records behind are shown, the time is not judged.
        JobLag silent = JobLag.of(Map.of(0, 20_000L), Map.of(0, 13_900L), 0.0);
        JobHealth quiet = JobHealth.judge(true, aggregation(), silent, false, null, T0);
        assertThat(quiet.state()).isEqualTo("up");
        assertThat(quiet.lagRecords()).isEqualTo(6_100L);
        assertThat(quiet.lagS()).isNull();
        assertThat(JobLag.of(Map.of(0, 20_000L), Map.of(), 100.0)).as("a group that committed nothing").isNull();
    }

    @Test
    void anAggregationJobWhoseNewestPointIsStaleWhileSamplesFlowIsDegradedTheDetectionJobIsNot() throws Exception {
        JobLag flowing = JobLag.of(Map.of(0, 100L), Map.of(0, 100L), 80.0);
        JobHealth stale = JobHealth.judge(true, aggregation(), flowing, true, 71.0, T0);
        assertThat(stale.state()).isEqualTo("degraded");
        assertThat(stale.problems()).containsExactly("newest chip point 71 s old, over 70 s");
        assertThat(JobHealth.judge(true, aggregation(), flowing, true, null, T0).problems())
                .containsExactly("no chip point written in the last 5 min while samples flow");
        assertThat(JobHealth.judge(true, aggregation(), flowing, false, 71.0, T0).state()).isEqualTo("up");
        JobLag silent = JobLag.of(Map.of(0, 100L), Map.of(0, 100L), 0.0);
        assertThat(JobHealth.judge(true, aggregation(), silent, true, 500.0, T0).state())
                .as("no samples, nothing to write").isEqualTo("up");
    }

    @Test
    void aJobNotRunningIsDownWithItsLagAndNothingElse() throws Exception {
        JobLag lag = JobLag.of(Map.of(0, 5_000L), Map.of(0, 1_000L), 100.0);
        JobHealth down = JobHealth.judge(false, aggregation(), lag, true, 90.0, T0);
        assertThat(down.state()).isEqualTo("down");
        assertThat(down.problems()).isEmpty();
        assertThat(down.lastCheckpointAgeS()).isNull();
        assertThat(down.lagRecords()).isEqualTo(4_000L);
        assertThat(down.note()).isEqualTo("4,000 records behind (40 s), newest point 90 s old");
    }
}
