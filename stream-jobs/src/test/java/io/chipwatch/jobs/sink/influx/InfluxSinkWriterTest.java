package io.chipwatch.jobs.sink.influx;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.influxdb.InfluxDBException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfluxSinkWriterTest {
    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(20));
    private static final PointConverter<Integer> TO_POINT = (i, point) ->
            point.measurement("m").field("v", (double) i).time(i);

    private final FakeClient client = new FakeClient();

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
        InfluxSinkWriter<Integer> writer = new InfluxSinkWriter<>(client, "db", policies, "raw_7d", oddToCapacity, 10,
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
        InfluxSinkWriter<Integer> writer = new InfluxSinkWriter<>(client, "db", List.of(), null, badTag, 10, FAST,
                new UnregisteredMetricsGroup());
        writer.write(1, null);

        assertThatThrownBy(() -> writer.write(2, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends with a backslash");
        writer.write(3, null);
        writer.flush(false);

        assertThat(client.writes).containsExactly("m,t=ok v=1i 1\nm,t=ok v=3i 3\n");
    }

    private InfluxSinkWriter<Integer> writer(int batchSize) throws IOException {
        return new InfluxSinkWriter<>(client, "db", List.of(), null, TO_POINT, batchSize, FAST,
                new UnregisteredMetricsGroup());
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
