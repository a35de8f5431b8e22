package io.chipwatch.jobs.sink.influx;

import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link InfluxClient} over {@code org.influxdb:influxdb-java} (HTTP v1 API, one keep-alive connection pool). */
public final class InfluxDbJavaClient implements InfluxClient {
    private final InfluxDB influx;

    /** Connects to {@code url} (e.g. {@code http://127.0.0.1:8086}); no request is made yet. */
    public InfluxDbJavaClient(String url) {
        // The library's background batching (enableBatch) stays off: it would report write failures on its
        // own thread, after Flink had already taken the checkpoint those points belong to.
        this.influx = InfluxDBFactory.connect(url);
    }

    @Override
    public void createDatabase(String database) {
        influx.query(new Query("CREATE DATABASE " + quoteIdentifier(database)));
    }

    @Override
    public void write(String database, List<Point> points) {
        influx.write(BatchPoints.database(database)
                .precision(TimeUnit.MILLISECONDS)
                .points(points)
                .build());
    }

    @Override
    public void close() {
        influx.close();
    }

    /** An InfluxQL double-quoted identifier. */
    static String quoteIdentifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
