package io.chipwatch.dashboards;

import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A thin InfluxQL client for the tests (influxdb-java, times as epoch milliseconds). */
final class Influx implements AutoCloseable {

    private final InfluxDB client;
    private final String database;

    Influx(String url, String database) {
        this.client = InfluxDBFactory.connect(url, new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS));
        this.database = database;
    }

    String database() {
        return database;
    }

    /** Runs one statement; fails on an error in the answer. */
    QueryResult.Result query(String influxql) {
        QueryResult result = client.query(new Query(influxql, database), TimeUnit.MILLISECONDS);
        if (result.getError() != null) {
            throw new IllegalStateException(result.getError() + " in: " + influxql);
        }
        QueryResult.Result r = result.getResults().get(0);
        if (r.getError() != null) {
            throw new IllegalStateException(r.getError() + " in: " + influxql);
        }
        return r;
    }

    List<QueryResult.Series> series(String influxql) {
        QueryResult.Result r = query(influxql);
        return r.getSeries() == null ? List.of() : r.getSeries();
    }

    /** The values of the first column after "key"/"time", e.g. of SHOW TAG VALUES or SHOW MEASUREMENTS. */
    List<String> values(String influxql) {
        List<String> out = new ArrayList<>();
        for (QueryResult.Series s : series(influxql)) {
            int column = s.getColumns().size() - 1;
            for (List<Object> row : s.getValues()) {
                out.add(String.valueOf(row.get(column)));
            }
        }
        return out;
    }

    /** Rows of a SELECT that returns something. */
    long count(String influxql) {
        return series(influxql).stream().mapToLong(s -> s.getValues().size()).sum();
    }

    void write(List<Point> points) {
        BatchPoints batch = BatchPoints.database(database).build();
        points.forEach(batch::point);
        client.write(batch);
    }

    @Override
    public void close() {
        client.close();
    }
}
