package io.chipwatch.cli.stack;

import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import okhttp3.OkHttpClient;

import java.util.concurrent.TimeUnit;

/** InfluxQL against the stack's InfluxDB through the v1 HTTP API. */
public final class InfluxQueries implements AutoCloseable {
    private final InfluxDB influx;
    private final String database;

    public InfluxQueries(String url, String database) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(3, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS);
        this.influx = InfluxDBFactory.connect(url, http);
        this.database = database;
    }

    /** Runs one InfluxQL statement; times come back as RFC 3339 strings. */
    public QueryResult query(String influxql) {
        return influx.query(new Query(influxql, database));
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

    @Override
    public void close() {
        influx.close();
    }
}
