package io.chipwatch.jobs.sink.influx;

import io.chipwatch.model.influx.InfluxCredentials;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** {@link InfluxClient} over {@code org.influxdb:influxdb-java} (HTTP v1 API, one keep-alive connection pool). */
public final class InfluxDbJavaClient implements InfluxClient {
    private final InfluxDB influx;

    /** Connects to {@code url} (e.g. {@code http://127.0.0.1:8086}) without credentials; no request is made yet. */
    public InfluxDbJavaClient(String url) {
        this(url, Optional.empty());
    }

    /** Connects to {@code url} as {@code credentials} (Basic auth on every request) when given. */
    public InfluxDbJavaClient(String url, Optional<InfluxCredentials> credentials) {
        // The library's background batching (enableBatch) stays off: it would report write failures on its
        // own thread, after Flink had already taken the checkpoint those points belong to.
        this.influx = credentials.map(c -> InfluxDBFactory.connect(url, c.user(), c.password()))
                .orElseGet(() -> InfluxDBFactory.connect(url));
    }

    /**
     * Clients with the credentials {@link InfluxCredentials#resolve} finds where the client is opened (a task
     * manager): the file {@code credentialsFile} names, else the environment's, else none. Only the path travels
     * with the job graph, never a password.
     *
     * @param credentialsFile a credentials file's path, or {@code null}
     */
    public static InfluxClient.Factory factory(String credentialsFile) {
        return url -> new InfluxDbJavaClient(url,
                InfluxCredentials.resolve(Optional.ofNullable(credentialsFile).map(Path::of)));
    }

    @Override
    public void createDatabase(String database) {
        // A user who is not an admin (the local stack's writer) may not CREATE DATABASE; the stack creates it
        // beforehand, and a database the user sees is left alone.
        QueryResult shown = checked(influx.query(new Query("SHOW DATABASES")), "SHOW DATABASES");
        for (QueryResult.Result result : shown.getResults()) {
            for (QueryResult.Series series : result.getSeries() == null ? List.<QueryResult.Series>of() : result.getSeries()) {
                for (List<Object> row : series.getValues() == null ? List.<List<Object>>of() : series.getValues()) {
                    if (database.equals(row.get(0))) {
                        return;
                    }
                }
            }
        }
        run("CREATE DATABASE " + quoteIdentifier(database));
    }

    @Override
    public void ensureRetentionPolicies(String database, List<RetentionPolicySpec> policies) {
        // name -> [duration, default] as the server has them
        Map<String, Object[]> existing = new HashMap<>();
        QueryResult shown = influx.query(new Query("SHOW RETENTION POLICIES ON " + quoteIdentifier(database)));
        for (QueryResult.Result result : checked(shown, "SHOW RETENTION POLICIES").getResults()) {
            if (result.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : result.getSeries()) {
                List<String> columns = series.getColumns();
                for (List<Object> row : series.getValues()) {
                    existing.put((String) row.get(columns.indexOf("name")), new Object[]{
                            row.get(columns.indexOf("duration")), row.get(columns.indexOf("default"))});
                }
            }
        }
        for (RetentionPolicySpec p : policies) {
            String target = quoteIdentifier(p.name()) + " ON " + quoteIdentifier(database)
                    + " DURATION " + p.duration().toHours() + "h";
            Object[] current = existing.get(p.name());
            if (current == null) {
                run("CREATE RETENTION POLICY " + target + " REPLICATION 1" + (p.isDefault() ? " DEFAULT" : ""));
            } else if (!p.influxDuration().equals(current[0]) || (p.isDefault() && !Boolean.TRUE.equals(current[1]))) {
                run("ALTER RETENTION POLICY " + target + (p.isDefault() ? " DEFAULT" : ""));
            }
        }
    }

    @Override
    public void write(String database, String retentionPolicy, String lines) {
        // The records as they are: one request body, no Point objects. A null policy is left out of the request
        // (the database's default), as BatchPoints did.
        influx.write(database, retentionPolicy, InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines);
    }

    @Override
    public void close() {
        influx.close();
    }

    private void run(String statement) {
        checked(influx.query(new Query(statement, null, true)), statement);
    }

    private static QueryResult checked(QueryResult result, String what) {
        String error = result.getError();
        if (error == null && result.getResults() != null) {
            error = result.getResults().stream().map(QueryResult.Result::getError)
                    .filter(Objects::nonNull).findFirst().orElse(null);
        }
        if (error != null) {
            throw new InfluxDBException(what + " failed: " + error);
        }
        return result;
    }

    /** An InfluxQL double-quoted identifier. */
    static String quoteIdentifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
