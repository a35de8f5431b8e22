package io.chipwatch.alerting.pathwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.chipwatch.model.anomaly.Fact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link InfluxWriteProbe} against a Flink REST API serving what Flink 2.2's MiniCluster answered for the
 * aggregation job (ids and shapes recorded from {@code /jobs}, {@code /jobs/:id} and
 * {@code /jobs/:id/vertices/:vid/metrics}, values set per test).
 */
class InfluxWriteProbeTest {
    private static final long T0 = 1_764_770_000_000L;
    private static final String JOB = "7b2d3c54e5f6a7b8c9d0e1f2a3b4c5d6";
    private static final String WINDOWS = "90bea66de1c231edf33913ecd54406c1";
    private static final String SOURCE = "cbc357ccb763df2852fee8c4fc7d55f2";
    /** The chip sink's writer operator as Flink 2.2 names it in metric ids. */
    private static final String CHIP_SINK = "influx-chip-sink__Writer";
    private static final String LINK_SINK = "influx-link-sink__Writer";
    private HttpServer flink;
    private volatile String jobs;
    private volatile String exceptions = "{\"exceptionHistory\":{\"entries\":[],\"truncated\":false}}";
    /** Metric id → value, of the windows vertex, two subtasks. */
    private final Map<String, String> metrics = new ConcurrentHashMap<>();
    /** When the job's latest checkpoint completed: long ago by default (a stuck sink: the gauges are read). */
    private volatile long lastCheckpointMillis = T0 - 600_000;
    /** How many times the metrics of a vertex were asked for (each makes the job's JVM dump its metrics). */
    private final AtomicInteger metricQueries = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        flink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flink.createContext("/jobs", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            String body;
            if (path.equals("/jobs/overview")) {
                body = jobs;
            } else if (path.equals("/jobs/" + JOB)) {
                body = "{\"jid\":\"" + JOB + "\",\"name\":\"chipwatch-aggregation\",\"state\":\"RUNNING\","
                        + "\"vertices\":[{\"id\":\"" + SOURCE + "\",\"name\":\"Source: chip-samples\",\"parallelism\":2,"
                        + "\"status\":\"RUNNING\"},{\"id\":\"" + WINDOWS + "\",\"name\":\"decode-samples -> "
                        + "chip-windows -> (late-samples, influx-chip-sink: Writer, influx-link-sink: Writer, "
                        + "chips-with-a-job, chip-capacity-rows)\","
                        + "\"parallelism\":2,\"status\":\"RUNNING\"}]}";
            } else if (path.equals("/jobs/" + JOB + "/exceptions")) {
                body = exceptions;
            } else if (path.equals("/jobs/" + JOB + "/checkpoints/config")) {
                body = "{\"mode\":\"at_least_once\",\"interval\":10000,\"timeout\":600000}";
            } else if (path.equals("/jobs/" + JOB + "/checkpoints")) {
                body = "{\"counts\":{\"completed\":12,\"failed\":0,\"in_progress\":1},\"latest\":{\"completed\":"
                        + "{\"id\":12,\"latest_ack_timestamp\":" + lastCheckpointMillis + "}},\"history\":[]}";
            } else if (path.equals("/jobs/" + JOB + "/vertices/" + SOURCE + "/metrics")) {
                body = query == null ? "[{\"id\":\"0.Source__chip-samples.KafkaSourceReader.topic.chip-samples"
                        + ".partition.0.currentOffset\"},{\"id\":\"1.numRecordsOut\"}]" : "[]";
            } else if (path.equals("/jobs/" + JOB + "/vertices/" + WINDOWS + "/metrics")) {
                metricQueries.incrementAndGet();
                body = query == null ? list() : values(query.substring("get=".length()));
            } else {
                body = null;
            }
            byte[] bytes = (body == null ? "{\"errors\":[\"Not found\"]}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        flink.start();
        jobs = "{\"jobs\":[{\"jid\":\"0000000000000000000000000000000a\",\"name\":\"chipwatch-aggregation\","
                + "\"state\":\"CANCELED\"},{\"jid\":\"" + JOB + "\",\"name\":\"chipwatch-aggregation\","
                + "\"state\":\"RUNNING\"}]}";
        for (int subtask = 0; subtask < 2; subtask++) {
            for (String sink : List.of(CHIP_SINK, LINK_SINK)) {
                sink(subtask, sink, T0 - 2_000, "", 0, 0);
            }
            metrics.put(subtask + ".numRecordsIn", "120");
            metrics.put(subtask + ".chip-windows.numRecordsOut", "60");
        }
    }

    @AfterEach
    void stop() {
        flink.stop(0);
    }

    private void sink(int subtask, String operator, long lastOk, String error, long retries, long failures) {
        String p = subtask + "." + operator + ".";
        metrics.put(p + "influxLastWriteOkMillis", Long.toString(lastOk));
        metrics.put(p + "influxLastWriteError", error);
        metrics.put(p + "influxWriteRetries", Long.toString(retries));
        metrics.put(p + "influxWriteFailures", Long.toString(failures));
        metrics.put(p + "influxPointsWritten", "4800");
    }

    private String list() {
        StringBuilder b = new StringBuilder("[");
        metrics.keySet().forEach(id -> b.append(b.length() > 1 ? "," : "").append("{\"id\":\"").append(id)
                .append("\"}"));
        return b.append(']').toString();
    }

    private String values(String ids) {
        StringBuilder b = new StringBuilder("[");
        for (String id : URLDecoder.decode(ids, StandardCharsets.UTF_8).split(",")) {
            String v = metrics.get(id);
            if (v != null) {
                b.append(b.length() > 1 ? "," : "").append("{\"id\":\"").append(id).append("\",\"value\":\"")
                        .append(v.replace("\"", "\\\"")).append("\"}");
            }
        }
        return b.append(']').toString();
    }

    private InfluxWriteProbe probe() {
        return new InfluxWriteProbe("http://127.0.0.1:" + flink.getAddress().getPort() + "/", Duration.ofSeconds(30));
    }

    private static final String DROPPED = "retention policy not found: raw_7d (write of 412 points to telemetry.raw_7d)";

    @Test
    void writesFailingForTheLimitAreOneInfluxdbProblemNamingTheErrorAndTheNextSuccessClearsIt() throws Exception {
        InfluxWriteProbe probe = probe();
        assertThat(probe.problems(T0)).isEmpty();
        // Subtask 1 of the chip sink retries its write: failing from this check on, not yet for long.
        sink(1, CHIP_SINK, T0 - 2_000, DROPPED, 3, 0);
        assertThat(probe.problems(T0 + 5_000)).isEmpty();
        // The other subtask and the other sink write meanwhile: subtask 1's share is still not stored.
        sink(0, CHIP_SINK, T0 + 20_000, "", 0, 0);
        sink(0, LINK_SINK, T0 + 20_000, "", 0, 0);
        sink(1, CHIP_SINK, T0 - 2_000, DROPPED, 8, 0);
        assertThat(probe.problems(T0 + 30_000)).isEmpty();
        List<PathProblem> problems = probe.problems(T0 + 35_000);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.entity()).isEqualTo("influxdb");
            assertThat(p.sinceMillis()).isEqualTo(T0 + 5_000);
            assertThat(p.facts()).containsEntry(Fact.FAILING_S, 30.0).containsEntry(Fact.FAILING_LIMIT_S, 30.0);
            assertThat(p.detail()).isEqualTo("InfluxDB rejects the aggregation job's writes for 30 s: " + DROPPED
                    + "; no write succeeded since (limit 30 s): roll-ups are not stored and the job falls behind");
        });
        // Retrying on, still the one problem, for longer.
        sink(1, CHIP_SINK, T0 - 2_000, DROPPED, 9, 0);
        assertThat(probe.problems(T0 + 40_000)).singleElement().extracting(PathProblem::facts)
                .satisfies(f -> assertThat(f).containsEntry(Fact.FAILING_S, 35.0));
        // Its next successful write clears it.
        sink(1, CHIP_SINK, T0 + 41_000, "", 9, 0);
        assertThat(probe.problems(T0 + 45_000)).isEmpty();
    }

    /**
     * While the job's checkpoints complete, the gauges are not read (each read makes the job's JVM dump its metrics);
     * once none completed for twice the interval they are, and the failure counts from the sink's first failed
     * attempt (its gauge), not from the check that first read it.
     */
    @Test
    void theGaugesAreReadOnlyOnceCheckpointsStallAndTheFailureCountsFromItsFirstAttempt() throws Exception {
        InfluxWriteProbe probe = probe();
        lastCheckpointMillis = T0 - 3_000;
        assertThat(probe.problems(T0)).isEmpty();
        assertThat(metricQueries).as("checkpoints complete: no metric read").hasValue(0);
        // Writes start failing at T0 + 2 s; the sink blocks, no checkpoint completes after T0 + 7 s.
        lastCheckpointMillis = T0 + 7_000;
        sink(1, CHIP_SINK, T0 + 1_000, DROPPED, 2, 0);
        metrics.put("1." + CHIP_SINK + ".influxFailingSinceMillis", Long.toString(T0 + 2_000));
        assertThat(probe.problems(T0 + 20_000)).isEmpty();
        assertThat(metricQueries).as("13 s since the last checkpoint, under twice the interval").hasValue(0);
        assertThat(probe.problems(T0 + 28_000)).as("failing 26 s").isEmpty();
        assertThat(metricQueries).as("21 s since the last checkpoint: read").hasPositiveValue();
        assertThat(probe.problems(T0 + 32_000)).singleElement().satisfies(p -> {
            assertThat(p.sinceMillis()).as("the sink's first failed attempt").isEqualTo(T0 + 2_000);
            assertThat(p.facts()).containsEntry(Fact.FAILING_S, 30.0);
        });
        // A write succeeds and a checkpoint completes: cleared, then no more reads.
        sink(1, CHIP_SINK, T0 + 33_000, "", 2, 0);
        metrics.put("1." + CHIP_SINK + ".influxFailingSinceMillis", "0");
        lastCheckpointMillis = T0 + 34_000;
        assertThat(probe.problems(T0 + 35_000)).isEmpty();
        int reads = metricQueries.get();
        assertThat(probe.problems(T0 + 40_000)).isEmpty();
        assertThat(metricQueries).as("healthy again: no metric read").hasValue(reads);
    }

    @Test
    void aRestartThatResetsTheMetricsIsNoSuccessAndRisingCountersAloneAreFailures() throws Exception {
        InfluxWriteProbe probe = probe();
        sink(0, LINK_SINK, T0 - 2_000, "", 2, 0);
        assertThat(probe.problems(T0)).isEmpty();
        // Retries rise although no error is shown at this moment (between two attempts it may be cleared by none).
        sink(0, LINK_SINK, T0 - 2_000, "", 5, 1);
        assertThat(probe.problems(T0 + 5_000)).isEmpty();
        // The job restarted: fresh writers, nothing written yet, counters back to 0. Still failing.
        for (int subtask = 0; subtask < 2; subtask++) {
            for (String sink : List.of(CHIP_SINK, LINK_SINK)) {
                sink(subtask, sink, 0, "", 0, 0);
            }
        }
        assertThat(probe.problems(T0 + 20_000)).isEmpty();
        assertThat(probe.problems(T0 + 35_000)).singleElement().extracting(PathProblem::detail).asString()
                .startsWith("InfluxDB rejects the aggregation job's writes for 30 s: (retries rising, no message);");
        // While the job is down between restarts its vertices have no metrics: still failing.
        metrics.clear();
        assertThat(probe.problems(T0 + 40_000)).singleElement().extracting(PathProblem::sinceMillis)
                .isEqualTo(T0 + 5_000);
        sink(0, LINK_SINK, T0 + 41_000, "", 0, 0);
        assertThat(probe.problems(T0 + 45_000)).isEmpty();
    }

    @Test
    void anotherJobStartsAfresh() throws Exception {
        InfluxWriteProbe probe = probe();
        sink(0, CHIP_SINK, T0 - 2_000, DROPPED, 4, 0);
        assertThat(probe.problems(T0)).isEmpty();
        assertThat(probe.problems(T0 + 30_000)).hasSize(1);
        jobs = "{\"jobs\":[{\"jid\":\"" + JOB + "\",\"name\":\"chipwatch-aggregation\",\"state\":\"CANCELED\"}]}";
        assertThatThrownBy(() -> probe.problems(T0 + 35_000)).isInstanceOf(IOException.class)
                .hasMessageContaining("lists no running job");
        // The same job id running again is the same job: a new submission has a new id and starts afresh.
        jobs = "{\"jobs\":[{\"jid\":\"" + JOB + "\",\"name\":\"chipwatch-aggregation\",\"state\":\"RESTARTING\"}]}";
        assertThat(probe.problems(T0 + 40_000)).hasSize(1);
        assertThat(probe.judge("00000000000000000000000000000b0b", Map.of(), List.of(), T0 + 45_000)).isEmpty();
    }

    /**
     * An entry of Flink 2.2's exception history for the writer failing the job on a write it does not retry, as
     * the MiniCluster of {@code InfluxWritesRefusedIT} gave it (frames left out).
     */
    private static String refusal(long at) {
        String writer = "write of 26 points to telemetry.raw_7d failed and retrying cannot help: \\\"chipwatch_writer"
                + "\\\" user is not authorized to write to database \\\"telemetry\\\"";
        return "{\"exceptionName\":\"org.apache.flink.runtime.taskmanager.AsynchronousException\",\"stacktrace\":"
                + "\"org.apache.flink.runtime.taskmanager.AsynchronousException: Caught exception while processing "
                + "timer.\\n\\tat org.apache.flink.streaming.runtime.tasks.StreamTask$StreamTaskAsyncExceptionHandler"
                + ".handleAsyncException(StreamTask.java:1733)\\n\\tat java.base/java.lang.Thread.run(Thread.java:840)"
                + "\\nCaused by: TimerException{java.io.IOException: " + writer + "}\\n\\t... 15 more\\nCaused by: "
                + "java.io.IOException: " + writer + "\\n\\tat io.chipwatch.jobs.sink.influx.InfluxSinkWriter"
                + ".withRetries(InfluxSinkWriter.java:234)\\n\\t... 14 more\\nCaused by: org.influxdb."
                + "InfluxDBException$AuthorizationFailedException: \\\"chipwatch_writer\\\" user is not authorized "
                + "to write to database \\\"telemetry\\\"\\n\",\"timestamp\":" + at + ",\"taskName\":"
                + "\"decode-samples -> chip-windows -> (late-samples, influx-chip-sink: Writer, influx-link-sink: "
                + "Writer, chips-with-a-job, chip-capacity-rows) (1/2)\",\"endpoint\":\"localhost:41234\","
                + "\"taskManagerId\":\"tm-1\",\"failureLabels\":{},\"concurrentExceptions\":[]}";
    }

    private static final String UNAUTHORIZED = "\"chipwatch_writer\" user is not authorized to write to database "
            + "\"telemetry\" (write of 26 points to telemetry.raw_7d)";

    @Test
    void writesRefusedForGoodFailTheJobAtOnceAndAreReadFromItsExceptionHistory() throws Exception {
        InfluxWriteProbe probe = probe();
        // An old failure (before a write succeeded, or long ago) is not news.
        exceptions = "{\"exceptionHistory\":{\"entries\":[" + refusal(T0 - 10_000) + "],\"truncated\":false}}";
        assertThat(probe.problems(T0)).isEmpty();
        // The job restarts over and over: each attempt fails at once, fresh metrics show nothing.
        for (int subtask = 0; subtask < 2; subtask++) {
            for (String sink : List.of(CHIP_SINK, LINK_SINK)) {
                sink(subtask, sink, 0, "", 0, 0);
            }
        }
        exceptions = "{\"exceptionHistory\":{\"entries\":[" + refusal(T0 + 3_000) + "," + refusal(T0 - 10_000)
                + "],\"truncated\":false}}";
        assertThat(probe.problems(T0 + 5_000)).isEmpty();
        exceptions = "{\"exceptionHistory\":{\"entries\":[" + refusal(T0 + 33_000) + "," + refusal(T0 + 3_000)
                + "],\"truncated\":false}}";
        assertThat(probe.problems(T0 + 35_000)).singleElement().satisfies(p -> {
            assertThat(p.entity()).isEqualTo("influxdb");
            assertThat(p.sinceMillis()).isEqualTo(T0 + 5_000);
            assertThat(p.detail()).startsWith("InfluxDB rejects the aggregation job's writes for 30 s: " + UNAUTHORIZED
                    + "; no write succeeded since");
        });
        // Granted again: the restarted job writes, after the last refusal, and completes a checkpoint before the
        // next check (the gauges must still be read while refused, or it never clears). Cleared.
        sink(0, CHIP_SINK, T0 + 40_000, "", 0, 0);
        lastCheckpointMillis = T0 + 40_500;
        assertThat(probe.problems(T0 + 41_000)).isEmpty();
        assertThat(InfluxWriteProbe.refusals(JSON_EMPTY)).isEmpty();
    }

    private static final JsonNode JSON_EMPTY = new ObjectMapper().createObjectNode();

    @Test
    void aRestApiThatDoesNotAnswerCannotTell() {
        InfluxWriteProbe probe = probe();
        flink.stop(0);
        assertThatThrownBy(() -> probe.problems(T0)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new InfluxWriteProbe("http://127.0.0.1:1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
