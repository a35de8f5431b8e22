package io.chipwatch.alerting.influx;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.influx.InfluxCredentials;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes each alert state change to InfluxDB (influxdb-java) as a point of measurement {@code alert}: tags
 * {@code alertname, severity, status} and the hierarchy tags the alert has ({@code pod, rack, node, chip, link,
 * peer, job}); fields {@code fingerprint, summary}; time = the change (ms).
 *
 * <p>Writes happen on a thread of their own from a bounded queue, so InfluxDB never slows alerting down; while
 * InfluxDB is unreachable points wait and are retried (backoff up to 30 s); only when more than
 * {@value #CAPACITY} wait are the oldest dropped, counted ({@code chipwatch_alerting_influx_writes_total{outcome="dropped"}}) and
 * logged.
 */
public final class InfluxAlertWriter implements AlertEventSink {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxAlertWriter.class);
    static final int CAPACITY = 10_000;
    public static final String MEASUREMENT = "alert";

    private final String url;
    private final String database;
    private final AlertingMetrics metrics;
    private final BlockingQueue<Point> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private final InfluxDB influx;
    private volatile boolean running = true;
    private boolean databaseReady;

    public InfluxAlertWriter(String url, String database, Optional<InfluxCredentials> credentials,
                             AlertingMetrics metrics) {
        this.url = url;
        this.database = database;
        this.metrics = metrics;
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(2, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS)
                .writeTimeout(10, TimeUnit.SECONDS);
        // A user (the stack's writer) may not create databases: the stack's bootstrap made it already.
        this.databaseReady = credentials.isPresent();
        this.influx = credentials.map(c -> InfluxDBFactory.connect(url, c.user(), c.password(), http))
                .orElseGet(() -> InfluxDBFactory.connect(url, http));
        this.thread = new Thread(this::run, "alerting-influx");
        thread.setDaemon(true);
        thread.start();
    }

    /** The point of one change (public for tests). */
    public static Point point(Alert alert, String status, long timeMillis) {
        Point.Builder b = Point.measurement(MEASUREMENT).time(timeMillis, TimeUnit.MILLISECONDS)
                .tag("alertname", alert.alertname())
                .tag("severity", alert.severity())
                .tag("status", status);
        for (String key : Anomaly.HIERARCHY_KEYS) {
            String v = alert.labels().get(key);
            if (v != null && !v.isEmpty()) {
                b.tag(key, v);
            }
        }
        return b.addField("fingerprint", alert.fingerprint())
                .addField("summary", alert.annotations().getOrDefault("summary", ""))
                .build();
    }

    @Override
    public void record(Alert alert, String status, long timeMillis) {
        Point p = point(alert, status, timeMillis);
        while (!queue.offer(p)) {
            if (queue.poll() != null) {
                metrics.influxWrite("dropped");
                LOG.error("InfluxDB at {} has been unreachable so long that {} alert points wait: dropping the oldest",
                        url, CAPACITY);
            }
        }
    }

    private void run() {
        long backoff = 250;
        List<Point> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Point first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 999);
                }
                ensureDatabase();
                BatchPoints points = BatchPoints.database(database).build();
                batch.forEach(points::point);
                influx.write(points);
                metrics.influxWrite("success");
                batch.clear();
                backoff = 250;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                metrics.influxWrite("failure");
                LOG.warn("cannot write {} alert point(s) to InfluxDB {} (db {}), retrying in {} ms: {}", batch.size(),
                        url, database, backoff, e.toString());
                if (!running) {
                    break;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(30_000, backoff * 2);
            }
        }
        if (!batch.isEmpty() || !queue.isEmpty()) {
            LOG.warn("stopping with {} alert point(s) not written to InfluxDB", batch.size() + queue.size());
        }
    }

    private void ensureDatabase() {
        if (!databaseReady) {
            influx.query(new Query("CREATE DATABASE \"" + database.replace("\"", "\\\"") + "\""));
            databaseReady = true;
        }
    }

    /** Waits up to 5 s for queued points to be written, then stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(12));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        influx.close();
    }
}
