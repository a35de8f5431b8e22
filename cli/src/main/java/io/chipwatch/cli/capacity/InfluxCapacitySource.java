package io.chipwatch.cli.capacity;

import io.chipwatch.cli.stack.InfluxQueries;
import org.influxdb.dto.QueryResult;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** InfluxQL through InfluxDB's v1 HTTP API ({@link InfluxQueries}), times as epoch milliseconds. */
public final class InfluxCapacitySource implements CapacitySource {
    /** A year of 1-hour points of 100,000 chips is ~900 M points: give InfluxDB time. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    private final InfluxQueries influx;

    public InfluxCapacitySource(String url, String database) {
        this.influx = new InfluxQueries(url, database, READ_TIMEOUT);
    }

    @Override
    public QueryResult query(String influxql) {
        return influx.query(influxql, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        influx.close();
    }
}
