package io.chipwatch.alerting.pathwatch;

import com.sun.net.httpserver.HttpServer;
import io.chipwatch.model.anomaly.Fact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CheckpointProbe} against a Flink REST API serving what Flink 2.2's {@code /jobs/:id/checkpoints} does. */
class CheckpointProbeTest {
    private static final long T0 = 1_764_770_000_000L;
    private static final String JOB = "4f6c2e1d8b9a0c3e5f7a9b1c3d5e7f90";
    private HttpServer flink;
    private volatile String jobs;
    private volatile String checkpoints;

    @BeforeEach
    void start() throws IOException {
        flink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flink.createContext("/jobs", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.equals("/jobs/overview") ? jobs
                    : path.equals("/jobs/" + JOB + "/checkpoints") ? checkpoints : null;
            byte[] bytes = (body == null ? "{\"errors\":[\"Not found\"]}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        flink.start();
        jobs = "{\"jobs\":[{\"jid\":\"0000000000000000000000000000000a\",\"name\":\"chipwatch-aggregation\","
                + "\"state\":\"FINISHED\"},{\"jid\":\"" + JOB + "\",\"name\":\"chipwatch-aggregation\","
                + "\"state\":\"RUNNING\"}]}";
    }

    @AfterEach
    void stop() {
        flink.stop(0);
    }

    private CheckpointProbe probe() {
        return new CheckpointProbe("flink", "http://127.0.0.1:" + flink.getAddress().getPort() + "/", 3);
    }

    /** Checkpoint statistics with the history given as (id, status), 10 s apart from T0 by id. */
    private static String checkpoints(Object... idStatus) {
        List<String> history = new ArrayList<>();
        String completed = "null";
        for (int i = 0; i < idStatus.length; i += 2) {
            long id = ((Number) idStatus[i]).longValue();
            String status = (String) idStatus[i + 1];
            long trigger = T0 + id * 10_000;
            String c = "{\"className\":\"" + status.toLowerCase() + "\",\"id\":" + id + ",\"status\":\"" + status
                    + "\",\"is_savepoint\":false,\"trigger_timestamp\":" + trigger + ",\"latest_ack_timestamp\":"
                    + (trigger + 350) + ",\"checkpointed_size\":48213,\"state_size\":48213,\"end_to_end_duration\":"
                    + "350,\"num_subtasks\":4,\"num_acknowledged_subtasks\":" + (status.equals("COMPLETED") ? 4 : 2)
                    + ",\"checkpoint_type\":\"CHECKPOINT\",\"tasks\":{}"
                    + (status.equals("FAILED") ? ",\"failure_timestamp\":" + (trigger + 600_000)
                    + ",\"failure_message\":\"Checkpoint expired before completing.\"" : "") + "}";
            history.add(c);
            if (status.equals("COMPLETED") && completed.equals("null")) {
                completed = c;
            }
        }
        return "{\"counts\":{\"restored\":0,\"total\":" + history.size() + ",\"in_progress\":0,\"completed\":0,"
                + "\"failed\":0},\"summary\":{},\"latest\":{\"completed\":" + completed + ",\"savepoint\":null,"
                + "\"failed\":null,\"restored\":null},\"history\":[" + String.join(",", history) + "]}";
    }

    @Test
    void threeFailedInARowAfterTheLastCompletedIsAProblemNamingCheckpoints() throws Exception {
        // Newest first, as Flink lists them; 8 is still in progress and does not count either way.
        checkpoints = checkpoints(8, "IN_PROGRESS", 7, "FAILED", 6, "FAILED", 5, "FAILED", 4, "COMPLETED",
                3, "FAILED", 2, "COMPLETED");
        long now = T0 + 85_000;
        List<PathProblem> problems = probe().problems(now);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.entity()).isEqualTo("flink");
            assertThat(p.sinceMillis()).isEqualTo(T0 + 50_000);
            assertThat(p.facts()).containsEntry(Fact.FAILING_S, 35.0);
            assertThat(p.detail()).isEqualTo("stream job flink: checkpoints failing, its last 3 failed in a row "
                    + "(for 35 s; the last completed (4) at 2025-12-03T13:54:00.350Z): it commits no offset and a "
                    + "restart replays from that checkpoint; latest failure: Checkpoint expired before completing.");
        });
    }

    @Test
    void fewerFailuresInARowOrACompletedCheckpointSinceIsNoProblem() throws Exception {
        checkpoints = checkpoints(7, "FAILED", 6, "FAILED", 5, "COMPLETED", 4, "FAILED", 3, "FAILED");
        assertThat(probe().problems(T0 + 80_000)).isEmpty();
        // Out of order in the answer: judged by id, so the completed 8 clears the failures before it.
        checkpoints = checkpoints(5, "FAILED", 8, "COMPLETED", 7, "FAILED", 6, "FAILED");
        assertThat(probe().problems(T0 + 90_000)).isEmpty();
    }

    @Test
    void failingSinceTheJobStartedSaysNoneCompleted() throws Exception {
        checkpoints = checkpoints(3, "FAILED", 2, "FAILED", 1, "FAILED");
        assertThat(probe().problems(T0 + 40_000)).singleElement().extracting(PathProblem::detail).asString()
                .contains("its last 3 failed in a row (for 30 s; none completed since the job started)");
    }

    @Test
    void noRunningJobOrNoAnswerCannotTell() {
        jobs = "{\"jobs\":[{\"jid\":\"" + JOB + "\",\"name\":\"chipwatch-aggregation\",\"state\":\"FAILED\"}]}";
        assertThatThrownBy(() -> probe().problems(T0)).isInstanceOf(IOException.class)
                .hasMessageContaining("lists no running job");
        flink.stop(0);
        assertThatThrownBy(() -> probe().problems(T0)).isInstanceOf(IOException.class);
    }

    /**
     * A session cluster ({@code up --cluster}) runs both jobs behind one REST API: each probe reads its own job,
     * told by its Flink job name, whichever is listed first.
     */
    @Test
    void onASharedRestApiEachJobIsToldByItsName() throws Exception {
        String detection = "d0000000000000000000000000000d0d";
        jobs = "{\"jobs\":[{\"jid\":\"" + detection + "\",\"name\":\"chipwatch-detection\","
                + "\"state\":\"RUNNING\"},{\"jid\":\"" + JOB + "\",\"name\":\"chipwatch-aggregation\","
                + "\"state\":\"RUNNING\"}]}";
        checkpoints = checkpoints(3, "FAILED", 2, "FAILED", 1, "FAILED");
        assertThat(probe().problems(T0)).as("the aggregation job, listed second").hasSize(1);
        CheckpointProbe detectionProbe = new CheckpointProbe("detection", "http://127.0.0.1:"
                + flink.getAddress().getPort(), 3);
        assertThatThrownBy(() -> detectionProbe.problems(T0)).as("the detection job's checkpoints, not the other's")
                .isInstanceOf(IOException.class).hasMessageContaining("/jobs/" + detection + "/checkpoints");
        // Two running jobs, neither of the probe's name: it cannot tell which is its own.
        CheckpointProbe other = new CheckpointProbe("capacity", "http://127.0.0.1:" + flink.getAddress().getPort(), 3);
        assertThatThrownBy(() -> other.problems(T0)).isInstanceOf(IOException.class)
                .hasMessageContaining("lists 2 running jobs, no job name to tell which is watched");
    }
}
