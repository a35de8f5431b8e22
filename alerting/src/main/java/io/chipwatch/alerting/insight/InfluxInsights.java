package io.chipwatch.alerting.insight;

import io.chipwatch.model.influx.InfluxCredentials;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The insights' history in InfluxDB (influxdb-java, InfluxQL; CONTRACTS.md §3), and where the history check writes
 * the {@value #LOSS_MEASUREMENT} measurement: tags {@code job, node, chip, cause}; fields {@code chip_hours},
 * {@code hours} (float), {@code job_chips} (integer); one point per job, slow chip and cause per window, at the
 * window's start (default retention policy).
 */
public final class InfluxInsights implements InsightHistory, LossWriter, AutoCloseable {
    /** The measurement of lost chip-hours. */
    public static final String LOSS_MEASUREMENT = "capacity_loss";

    private final InfluxDB influx;
    private final String database;

    /** Without credentials (an InfluxDB without auth). */
    public InfluxInsights(String url, String database, Duration readTimeout) {
        this(url, database, Optional.empty(), readTimeout);
    }

    /** As {@code credentials} when given (Basic auth on every request). */
    public InfluxInsights(String url, String database, Optional<InfluxCredentials> credentials, Duration readTimeout) {
        OkHttpClient.Builder http = new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS).writeTimeout(30, TimeUnit.SECONDS);
        this.influx = credentials.map(c -> InfluxDBFactory.connect(url, c.user(), c.password(), http))
                .orElseGet(() -> InfluxDBFactory.connect(url, http));
        this.database = database;
    }

    /** The InfluxQL of {@link #anomalies} (public: the CLI and tests show it). */
    public static String anomaliesQuery(long fromMillis, long toMillis, List<String> types) {
        String only = types.isEmpty() ? "" : " AND (" + types.stream().map(t -> "\"type\" = '" + t + "'")
                .collect(Collectors.joining(" OR ")) + ")";
        return "SELECT \"id\", \"state\", \"value\" FROM \"anomaly\" WHERE time >= " + fromMillis + "ms AND time < "
                + toMillis + "ms" + only + " GROUP BY \"type\", \"scope\", \"entity\", \"rack\", \"node\", \"chip\", "
                + "\"link\", \"job\"";
    }

    @Override
    public List<AnomalyEvent> anomalies(long fromMillis, long toMillis, List<String> types) {
        List<AnomalyEvent> out = new ArrayList<>();
        for (QueryResult.Series s : series(anomaliesQuery(fromMillis, toMillis, types))) {
            Map<String, String> tags = s.getTags() == null ? Map.of() : s.getTags();
            int id = s.getColumns().indexOf("id");
            int state = s.getColumns().indexOf("state");
            int value = s.getColumns().indexOf("value");
            for (List<Object> row : s.getValues()) {
                if (row.get(id) == null || row.get(state) == null) {
                    continue;
                }
                out.add(new AnomalyEvent(String.valueOf(row.get(id)), tags.get("type"), tags.get("scope"),
                        tags.get("entity"), tags.get("rack"), tags.get("node"), tags.get("chip"), tags.get("link"),
                        tags.get("job"), "open".equals(row.get(state)), number(row.get(value)), (long) number(row.get(0))));
            }
        }
        return out;
    }

    @Override
    public Map<String, Integer> jobChips(long fromMillis, long toMillis) {
        Map<String, Integer> out = new HashMap<>();
        for (QueryResult.Series s : series("SELECT max(\"chips\") FROM \"job\" WHERE time >= " + fromMillis
                + "ms AND time < " + toMillis + "ms GROUP BY \"job\"")) {
            double v = number(s.getValues().get(0).get(1));
            if (s.getTags() != null && Double.isFinite(v)) {
                out.put(s.getTags().get("job"), (int) v);
            }
        }
        return out;
    }

    @Override
    public Map<String, List<LinkHour>> linkHours(long fromMillis, long toMillis) {
        Map<String, List<LinkHour>> out = new TreeMap<>();
        for (QueryResult.Series s : series("SELECT median(\"latency_us_mean\") FROM \"link\" WHERE time >= "
                + fromMillis + "ms AND time < " + toMillis + "ms GROUP BY time(1h), \"link\" fill(none)")) {
            String link = s.getTags().get("link");
            List<LinkHour> hours = out.computeIfAbsent(link, l -> new ArrayList<>());
            for (List<Object> row : s.getValues()) {
                double v = number(row.get(1));
                if (Double.isFinite(v)) {
                    hours.add(new LinkHour(link, (long) number(row.get(0)), v));
                }
            }
        }
        return out;
    }

    @Override
    public void write(List<StragglerCost.Loss> losses, long windowStartMillis) {
        if (losses.isEmpty()) {
            return;
        }
        BatchPoints.Builder batch = BatchPoints.database(database);
        for (StragglerCost.Loss l : losses) {
            batch.point(Point.measurement(LOSS_MEASUREMENT).time(windowStartMillis, TimeUnit.MILLISECONDS)
                    .tag("job", l.job()).tag("node", l.node()).tag("chip", l.chip()).tag("cause", l.cause())
                    .addField("chip_hours", l.chipHours()).addField("hours", l.hours())
                    .addField("job_chips", (long) l.jobChips()).build());
        }
        influx.write(batch.build());
    }

    private List<QueryResult.Series> series(String influxql) {
        QueryResult r = influx.query(new Query(influxql, database), TimeUnit.MILLISECONDS);
        if (r.getError() != null) {
            throw new IllegalStateException("InfluxDB: " + r.getError() + " (" + influxql + ")");
        }
        List<QueryResult.Series> out = new ArrayList<>();
        if (r.getResults() != null) {
            for (QueryResult.Result result : r.getResults()) {
                if (result.getError() != null) {
                    throw new IllegalStateException("InfluxDB: " + result.getError() + " (" + influxql + ")");
                }
                if (result.getSeries() != null) {
                    out.addAll(result.getSeries());
                }
            }
        }
        return out;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public void close() {
        influx.close();
    }
}
