package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.verbs.StatusCommand;
import io.chipwatch.infra.ChipwatchHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./telemetry up}, {@code status} and {@code down} do, on the real processes: the whole stack comes
 * up, every simulated chip reaches InfluxDB, {@code status} shows each job's liveness (checkpoint age, lag, newest
 * point), a second {@code up} starts nothing, and {@code down} leaves no process behind. The stack's files go to a temporary folder instead of the checkout's {@code var/}.
 */
class LocalStackIT {
    private static final int CHIPS = 800;

    @Test
    void upBringsEveryChipIntoInfluxAndDownLeavesNothingRunning(@TempDir Path var) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(ChipwatchHome.root(), var),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            StackState state = stack.up(new UpOptions(CHIPS, 3));
            Map<String, Long> pids = Map.copyOf(state.pids);
            assertThat(pids.keySet()).containsExactlyInAnyOrderElementsOf(LocalStack.COMPONENTS);
            LocalStack.COMPONENTS.forEach(c -> assertThat(stack.alive(state, c)).as(c).isTrue());

            int reporting = 0;
            long deadline = System.nanoTime() + 150_000_000_000L;
            try (InfluxQueries influx = new InfluxQueries(LocalStack.url(state, LocalStack.INFLUXDB), LocalStack.DATABASE)) {
                while (reporting < CHIPS && System.nanoTime() < deadline) {
                    Thread.sleep(2_000);
                    reporting = influx.chipsReporting();
                }
            }
            assertThat(reporting).as("chips reporting; stack output:%n%s", out).isEqualTo(CHIPS);
            statusShowsEachJobsLiveness(stack);

            // Idempotent: a second up finds everything running and keeps the same processes.
            StackState again = stack.up(new UpOptions(CHIPS, 3));
            assertThat(again.pids).isEqualTo(pids);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("already running");
        } finally {
            StackState state = stack.state();
            List<Long> pids = List.copyOf(state.pids.values());
            stack.down(false);
            pids.forEach(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid %d after down", pid).isFalse());
        }
    }

    /**
     * {@code status -o json} has each job's real liveness under {@code health} once both completed a checkpoint: a
     * recent checkpoint, the lag of its consumer group, the aggregation job's newest chip point; the table says it on
     * the job's line. Bounds are generous (a loaded machine): what matters is that the numbers are real.
     */
    private static void statusShowsEachJobsLiveness(LocalStack stack) throws Exception {
        JsonNode status = null;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            status = status(stack, OutputFormat.json);
            JsonNode h = status.path("health");
            if (h.path("flink").path("lastCheckpointAgeS").isNumber()
                    && h.path("detection").path("lastCheckpointAgeS").isNumber()
                    && h.path("flink").path("lagRecords").isNumber()
                    && h.path("detection").path("lagRecords").isNumber()) {
                break;
            }
            Thread.sleep(2_000);
        }
        JsonNode health = status.path("health");
        for (String job : List.of(LocalStack.FLINK, LocalStack.DETECTION)) {
            JsonNode h = health.path(job);
            assertThat(h.path("state").asText()).as("%s in %s", job, status).isIn("up", "degraded")
                    .isEqualTo(status.path("components").path(job).asText());
            assertThat(h.path("lastCheckpointAgeS").asDouble(-1)).as("%s in %s", job, status).isBetween(0.0, 120.0);
            assertThat(h.path("checkpointIntervalS").asDouble()).as(job).isEqualTo(10.0);
            assertThat(h.path("checkpointsCompleted").asLong()).as(job).isPositive();
            assertThat(h.path("uptimeS").asDouble()).as(job).isPositive();
            assertThat(h.path("lagRecords").isNumber()).as("%s in %s", job, status).isTrue();
            assertThat(h.path("lagRecords").asLong()).as(job).isNotNegative();
            // 800 chips at 1 Hz: samples flow, so the lag is also in seconds (records / the last minute's rate).
            assertThat(h.path("lagS").asDouble(-1)).as("%s in %s", job, status).isBetween(0.0, 600.0);
            assertThat(h.path("problems").isArray()).as(job).isTrue();
        }
        assertThat(health.path("flink").path("newestPointAgeS").asDouble(-1)).as("%s", status).isBetween(0.0, 300.0);
        assertThat(health.path("detection").path("newestPointAgeS").isNull()).isTrue();
        // The services' /healthz details: the alerting service's anomaly consumer polls, the collector ticks.
        assertThat(health.path("alerting").path("consumerAlive").asBoolean()).as("%s", status).isTrue();
        assertThat(health.path("alerting").path("consumerLastPollAgeS").asDouble(-1)).isBetween(0.0, 60.0);
        assertThat(health.path("collector").path("detail").asText()).isEqualTo("ok");
        // The keys of CONTRACTS.md section 4 are still there.
        assertThat(status.path("chipsReporting").asInt()).isEqualTo(CHIPS);
        assertThat(status.path("components").path("kafka").asText()).isEqualTo("up");

        String table = status(stack, OutputFormat.table).path("text").asText();
        System.out.println("status:\n" + table);
        assertThat(table).containsPattern("(?m)^flink +(up|degraded) +last checkpoint \\d+ s ago.* records behind"
                + ".*newest point \\d+ s old").containsPattern("(?m)^detection +(up|degraded) +last checkpoint \\d+ s "
                + "ago.* records behind").containsPattern("(?m)^alerting +up +anomaly consumer polled \\d+ s ago");
    }

    /** {@code status} in {@code format}: the JSON document, or the text as {@code {"text": ...}}. */
    private static JsonNode status(LocalStack stack, OutputFormat format) throws Exception {
        StringWriter text = new StringWriter();
        StatusCommand.print(stack, format, new PrintWriter(text));
        ObjectMapper json = new ObjectMapper();
        return format == OutputFormat.json ? json.readTree(text.toString())
                : json.createObjectNode().put("text", text.toString());
    }
}
