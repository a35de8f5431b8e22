package io.chipwatch.cli.capacity;

import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

import java.util.concurrent.TimeUnit;

/** InfluxQL through InfluxDB's v1 HTTP API (influxdb-java), times as epoch milliseconds. */
public final class InfluxCapacitySource implements CapacitySource {
    private final InfluxDB influx;
    private final String database;

    public InfluxCapacitySource(String url, String database) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(3, TimeUnit.SECONDS)
                // A year of 1-hour points of 100,000 chips is ~900 M points: give InfluxDB time.
                .readTimeout(5, TimeUnit.MINUTES);
        this.influx = InfluxDBFactory.connect(url, http);
        this.database = database;
    }

    @Override
    public QueryResult query(String influxql) {
        return influx.query(new Query(influxql, database), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        influx.close();
    }
}
