package io.chipwatch.jobs.sink.influx;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.influxdb.InfluxDBException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfluxSinkWriterTest {
    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(20));
    private static final PointConverter<Integer> TO_POINT = (i, point) ->
            point.measurement("m").field("v", (double) i).time(i);

    private final FakeClient client = new FakeClient();
    private final ManualTimers timers = new ManualTimers();

    @Test
    void createsTheDatabaseWhenOpened() throws Exception {
        writer(10).close();

        assertThat(client.databasesCreated).containsExactly("db");
        assertThat(client.closed).isTrue();
    }

    @Test
    void writesFullBatchesAtOnceAndTheRestOnFlush() throws Exception {
        InfluxSinkWriter<Integer> writer = writer(3);
        for (int i = 0; i < 7; i++) {
            writer.write(i, null);
        }
        assertThat(client.batchSizes()).containsExactly(3, 3);

        writer.flush(false);
        writer.flush(true);

        assertThat(client.batchSizes()).containsExactly(3, 3, 1);
        assertThat(client.writes.get(0)).isEqualTo("m v=0.0 0\nm v=1.0 1\nm v=2.0 2\n");
        assertThat(client.writes.get(2)).isEqualTo("m v=6.0 6\n");
        assertThat(client.writes).allSatisfy(w -> assertThat(client.databaseOf(w)).isEqualTo("db"));
    }

    @Test
    void writesWhatWaitedTheMaxDelayWithoutWaitingForACheckpoint() throws Exception {
        InfluxSinkWriter<Integer> writer = writer(100);
        writer.write(1, null);
        timers.advanceTo(1_500);
        writer.write(2, null);
        timers.advanceTo(1_999);
        assertThat(client.writes).as("nothing is due before the first point has waited 1 s").isEmpty();

        timers.advanceTo(2_000);

        assertThat(client.writes).containsExactly("m v=1.0 1\nm v=2.0 2\n");
        assertThat(timers.due).as("no timer left while the buffer is empty").isEmpty();

        writer.write(3, null);
        timers.advanceTo(2_999);
        assertThat(client.writes).hasSize(1);
        timers.advanceTo(3_000);
        assertThat(client.writes).containsExactly("m v=1.0 1\nm v=2.0 2\n", "m v=3.0 3\n");
    }

    @Test
    void aTimerThatFindsTheBufferAlreadyWrittenWritesNothing() throws Exception {
        InfluxSinkWriter<Integer> writer = writer(2);
        writer.write(1, null);
        writer.write(2, null);
        assertThat(client.batchSizes()).containsExactly(2);

        timers.advanceTo(2_000);

        assertThat(client.batchSizes()).containsExactly(2);
    }

    @Test
    void aZeroDelayWritesOnlyOnSizeAndFlush() throws Exception {
        InfluxSinkWriter<Integer> writer = new InfluxSinkWriter<>(client, "db", List.of(), null, TO_POINT,
                new BufferPolicy(10, Duration.ZERO), timers, FAST, new UnregisteredMetricsGroup());
        writer.write(1, null);

        assertThat(timers.due).isEmpty();
        writer.flush(false);
        assertThat(client.batchSizes()).containsExactly(1);
    }

    @Test
    void bufferPolicyRejectsWhatCannotWork() {
        assertThatThrownBy(() -> new BufferPolicy(0, Duration.ZERO)).hasMessageContaining("batch size");
        assertThatThrownBy(() -> new BufferPolicy(1, Duration.ofMillis(-1))).hasMessageContaining("delay");
    }

    @Test
    void retriesAFailedWriteWithTheSamePoints() throws Exception {
        InfluxSinkWriter<Integer> writer = writer(10);
        writer.write(1, null);
        client.failuresToGo = 2;

        writer.flush(false);

        assertThat(client.attempts).isEqualTo(3);
        assertThat(client.batchSizes()).containsExactly(1);
    }

    @Test
    void givesUpWhenRetriesTakeTooLongSoThatFlinkRestartsFromTheCheckpoint() throws Exception {
        InfluxSinkWriter<Integer> writer = writer(10);
        writer.write(1, null);
        client.failuresToGo = Integer.MAX_VALUE;

        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("giving up");
        // Waits 1, 2, 4, 4, 4, 4 ms = 19 ms; the next 4 ms would pass the 20 ms budget.
        assertThat(client.attempts).isEqualTo(7);
    }

    @Test
    void doesNotRetryWhatRetryingCannotFix() throws Exception {
        InfluxSinkWriter<Integer> writer = writer(10);
        writer.write(1, null);
        client.failWith = InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"partial write: field type conflict: input field \\\"v\\\" is type float\"}");

        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("retrying cannot help");
        assertThat(client.attempts).isEqualTo(1);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(List.of(p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4), p.backoff(30)))
                .extracting(Duration::toMillis).containsExactly(100L, 200L, 400L, 500L, 500L);
    }

    @Test
    void createsTheRetentionPoliciesWhenOpenedAndWritesEachPointToItsPolicy() throws Exception {
        List<RetentionPolicySpec> policies = List.of(
                new RetentionPolicySpec("raw_7d", Duration.ofDays(7), true),
                new RetentionPolicySpec("capacity_90d", Duration.ofDays(90), false));
        PointConverter<Integer> oddToCapacity = new PointConverter<>() {
            @Override
            public void write(Integer i, LineProtocol point) {
                TO_POINT.write(i, point);
            }

            @Override
            public String retentionPolicy(Integer i) {
                return i % 2 == 1 ? "capacity_90d" : null;
            }
        };
        InfluxSinkWriter<Integer> writer = new InfluxSinkWriter<>(client, "db", policies, "raw_7d", oddToCapacity, buffer(10), timers,
                FAST, new UnregisteredMetricsGroup());
        for (int i = 0; i < 5; i++) {
            writer.write(i, null);
        }
        writer.flush(false);

        assertThat(client.policiesEnsured).containsExactly(policies);
        assertThat(client.writePolicies).containsExactly("raw_7d", "capacity_90d");
        assertThat(client.batchSizes()).containsExactly(3, 2);
    }

    @Test
    void pointsBeyondTheRetentionPolicyAreCountedAndNeitherRetriedNorFatal() throws Exception {
        InfluxSinkWriter<Integer> writer = writer(10);
        writer.write(1, null);
        writer.write(2, null);
        client.failWith = InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"partial write: points beyond retention policy dropped=1\"}");

        writer.flush(false);

        assertThat(client.attempts).isEqualTo(1);
        client.failWith = null;
        writer.write(3, null);
        writer.flush(false);
        assertThat(client.batchSizes()).containsExactly(1);
        assertThat(InfluxSinkWriter.droppedCount("partial write: points beyond retention policy dropped=17", 5))
                .isEqualTo(17);
        assertThat(InfluxSinkWriter.droppedCount("partial write", 5)).isEqualTo(5);
    }

    @Test
    void aPointThatCannotBeWrittenFailsAloneAndLeavesTheBatchIntact() throws Exception {
        PointConverter<Integer> badTag = (i, point) ->
                point.measurement("m").tag("t", i == 2 ? "ends with \\" : "ok").field("v", (long) i).time(i);
        InfluxSinkWriter<Integer> writer = new InfluxSinkWriter<>(client, "db", List.of(), null, badTag, buffer(10), timers, FAST,
                new UnregisteredMetricsGroup());
        writer.write(1, null);

        assertThatThrownBy(() -> writer.write(2, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends with a backslash");
        writer.write(3, null);
        writer.flush(false);

        assertThat(client.writes).containsExactly("m,t=ok v=1i 1\nm,t=ok v=3i 3\n");
    }

    @Test
    void gaugesShowTheLastSuccessfulWriteAndTheLastFailedAttemptRetriedOnesIncluded() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        long[] wall = {1_764_770_000_000L};
        InfluxSinkWriter<Integer> writer = new InfluxSinkWriter<>(client, "db", List.of(), "raw_7d", TO_POINT,
                buffer(10), timers, FAST, metrics, () -> wall[0]);
        assertThat(metrics.value("influxLastWriteOkMillis")).isEqualTo(0L);
        assertThat(metrics.value("influxLastWriteError")).isEqualTo("");
        assertThat(metrics.value("influxFailingSinceMillis")).isEqualTo(0L);

        writer.write(1, null);
        writer.flush(false);
        assertThat(metrics.value("influxLastWriteOkMillis")).isEqualTo(1_764_770_000_000L);
        assertThat(metrics.value("influxLastWriteError")).isEqualTo("");

        // Two failed attempts, then a success: the error shows while retrying, the success clears it.
        wall[0] += 5_000;
        writer.write(2, null);
        client.failuresToGo = 2;
        client.onAttempt = () -> metrics.seen.add((String) metrics.value("influxLastWriteError"));
        writer.flush(false);
        // What each attempt found: the state after the success before, then after each failure.
        assertThat(metrics.seen).containsExactly("", "connection refused (write of 1 points to db.raw_7d)",
                "connection refused (write of 1 points to db.raw_7d)");
        assertThat(metrics.value("influxLastWriteOkMillis")).isEqualTo(1_764_770_005_000L);
        assertThat(metrics.value("influxLastWriteError")).isEqualTo("");
        assertThat(metrics.value("influxFailingSinceMillis")).as("cleared by the success").isEqualTo(0L);

        // Retries given up on: the error stays, the last success keeps its time.
        wall[0] += 5_000;
        writer.write(3, null);
        client.failWith = InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"retention policy not found: raw_7d\"}");
        assertThatThrownBy(() -> writer.flush(false)).isInstanceOf(IOException.class);
        assertThat(metrics.value("influxLastWriteError"))
                .isEqualTo("retention policy not found: raw_7d (write of 1 points to db.raw_7d)");
        assertThat(metrics.value("influxLastWriteOkMillis")).isEqualTo(1_764_770_005_000L);
        assertThat(metrics.value("influxFailingSinceMillis")).as("its first failed attempt")
                .isEqualTo(1_764_770_010_000L);
        // A later failed attempt keeps the start of the failure.
        wall[0] += 5_000;
        assertThatThrownBy(() -> writer.flush(false)).isInstanceOf(IOException.class);
        assertThat(metrics.value("influxFailingSinceMillis")).isEqualTo(1_764_770_010_000L);
    }

    @Test
    void theErrorGaugeIsShortAndOnOneLine() {
        String message = "line one\n\tline two " + "x".repeat(400);
        String shown = InfluxSinkWriter.shortError("write of 3 points to db", new InfluxDBException(message));
        assertThat(shown).hasSize(InfluxSinkWriter.MAX_ERROR_CHARS).startsWith("line one line two xxx")
                .endsWith("...");
        assertThat(InfluxSinkWriter.shortError("CREATE DATABASE db", new IllegalStateException()))
                .isEqualTo("java.lang.IllegalStateException (CREATE DATABASE db)");
    }

    private InfluxSinkWriter<Integer> writer(int batchSize) throws IOException {
        return new InfluxSinkWriter<>(client, "db", List.of(), null, TO_POINT, buffer(batchSize), timers, FAST,
                new UnregisteredMetricsGroup());
    }

    private static BufferPolicy buffer(int maxPoints) {
        return new BufferPolicy(maxPoints, Duration.ofSeconds(1));
    }

    /** Processing time that moves only when told; fires due timers as the task thread would. */
    private static final class ManualTimers implements ProcessingTimeService {
        final TreeMap<Long, List<ProcessingTimeCallback>> due = new TreeMap<>();
        long now = 1_000;

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long time, ProcessingTimeCallback callback) {
            due.computeIfAbsent(time, t -> new ArrayList<>()).add(callback);
            return null;
        }

        void advanceTo(long time) throws Exception {
            now = time;
            while (!due.isEmpty() && due.firstKey() <= time) {
                Map.Entry<Long, List<ProcessingTimeCallback>> next = due.pollFirstEntry();
                for (ProcessingTimeCallback c : next.getValue()) {
                    c.onProcessingTime(next.getKey());
                }
            }
        }
    }

    /** Keeps the gauges registered, to read them as the metric query service would. */
    private static final class RecordingMetrics extends UnregisteredMetricsGroup {
        final Map<String, Gauge<?>> gauges = new HashMap<>();
        final List<String> seen = new ArrayList<>();

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(name, gauge);
            return gauge;
        }

        Object value(String name) {
            return gauges.get(name).getValue();
        }
    }

    /** Records what it is asked to do; fails the next writes on demand. */
    private static final class FakeClient implements InfluxClient {
        final List<String> databasesCreated = new ArrayList<>();
        final List<String> writes = new ArrayList<>();
        final List<String> writeDatabases = new ArrayList<>();
        final List<String> writePolicies = new ArrayList<>();
        final List<List<RetentionPolicySpec>> policiesEnsured = new ArrayList<>();
        int failuresToGo;
        RuntimeException failWith;
        /** Run at each attempt, before it fails or succeeds. */
        Runnable onAttempt = () -> { };
        int attempts;
        boolean closed;

        @Override
        public void createDatabase(String database) {
            databasesCreated.add(database);
        }

        @Override
        public void ensureRetentionPolicies(String database, List<RetentionPolicySpec> policies) {
            policiesEnsured.add(policies);
        }

        @Override
        public void write(String database, String retentionPolicy, String lines) {
            attempts++;
            onAttempt.run();
            if (failWith != null) {
                throw failWith;
            }
            if (failuresToGo > 0) {
                failuresToGo--;
                throw new InfluxDBException("connection refused");
            }
            writes.add(lines);
            writeDatabases.add(database);
            writePolicies.add(retentionPolicy);
        }

        @Override
        public void close() {
            closed = true;
        }

        List<Integer> batchSizes() {
            return writes.stream().map(w -> (int) w.chars().filter(c -> c == '\n').count()).toList();
        }

        String databaseOf(String write) {
            return writeDatabases.get(writes.indexOf(write));
        }
    }
}
