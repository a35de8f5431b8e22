package io.chipwatch.cli.stack;

import io.chipwatch.infra.InfluxDbUsers;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.influx.InfluxCredentials;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import okhttp3.OkHttpClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * InfluxQL against an InfluxDB 1.x database through the v1 HTTP API (influxdb-java): the stack's for
 * {@code query} and {@code status}, any for {@code capacity}. Connects within 3 s; a query may take as long as
 * the read timeout it was opened with. Reads as {@link #credentials()}: the local stack's read-only user.
 */
public final class InfluxQueries implements AutoCloseable {
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private final InfluxDB influx;
    private final String database;

    public InfluxQueries(String url, String database) {
        this(url, database, DEFAULT_READ_TIMEOUT);
    }

    /** @param readTimeout how long one query may take to answer */
    public InfluxQueries(String url, String database, Duration readTimeout) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(3, TimeUnit.SECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        this.influx = credentials().map(c -> InfluxDBFactory.connect(url, c.user(), c.password(), http))
                .orElseGet(() -> InfluxDBFactory.connect(url, http));
        this.database = database;
    }

    /**
     * Who the CLI's InfluxDB clients ({@code query}, {@code status}, {@code capacity}, {@code lemons},
     * {@code bench}) are: the environment's credentials ({@link InfluxCredentials#resolve}), else the local stack's
     * read-only user ({@link #readerFile()}) once {@code up} has written it, else none (an InfluxDB without auth).
     */
    public static Optional<InfluxCredentials> credentials() {
        Optional<InfluxCredentials> fromEnv = InfluxCredentials.resolve(Optional.empty());
        if (fromEnv.isPresent()) {
            return fromEnv;
        }
        Path reader = readerFile();
        return Files.isRegularFile(reader) ? Optional.of(InfluxCredentials.read(reader)) : Optional.empty();
    }

    /** The local stack's read-only InfluxDB user ({@link InfluxDbUsers#READER_FILE}). */
    public static Path readerFile() {
        return SecretFile.defaultPath(InfluxDbUsers.READER_FILE);
    }

    /** Runs one InfluxQL statement; times come back as RFC 3339 strings. */
    public QueryResult query(String influxql) {
        return influx.query(new Query(influxql, database));
    }

    /** Runs one InfluxQL statement; times come back as numbers in {@code precision} since the epoch. */
    public QueryResult query(String influxql, TimeUnit precision) {
        return influx.query(new Query(influxql, database), precision);
    }

    /** Distinct chips with a {@code chip} point in the last 60 s. */
    public int chipsReporting() {
        QueryResult result = query("SELECT count(\"samples\") FROM \"chip\" WHERE time > now() - 60s GROUP BY \"chip\"");
        QueryResult.Result first = result.getResults().get(0);
        if (first.getError() != null) {
            throw new IllegalStateException(first.getError());
        }
        return first.getSeries() == null ? 0 : first.getSeries().size();
    }

    /**
     * The time of the newest {@code chip} point of the last 5 minutes (the start of its 10 s window, in the samples'
     * own time: how fresh the aggregation job's last successful write is); empty when there is none.
     */
    public OptionalLong newestChipPointMillis() {
        QueryResult result = query("SELECT last(\"samples\") FROM \"chip\" WHERE time > now() - 5m",
                TimeUnit.MILLISECONDS);
        QueryResult.Result first = result.getResults().get(0);
        if (first.getError() != null) {
            throw new IllegalStateException(first.getError());
        }
        if (first.getSeries() == null || first.getSeries().isEmpty()
                || first.getSeries().get(0).getValues().isEmpty()) {
            return OptionalLong.empty();
        }
        Object time = first.getSeries().get(0).getValues().get(0).get(0);
        return time instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    @Override
    public void close() {
        influx.close();
    }
}
