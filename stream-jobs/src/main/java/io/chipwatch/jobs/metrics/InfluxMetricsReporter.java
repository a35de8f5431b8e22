package io.chipwatch.jobs.metrics;

import io.chipwatch.jobs.metrics.PipelineMetrics.Target;
import io.chipwatch.jobs.sink.influx.InfluxClient;
import io.chipwatch.jobs.sink.influx.InfluxDbJavaClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.Scheduled;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink metric reporter writing the jobs' self-metrics to InfluxDB as the measurements of {@link PipelineMetrics},
 * through the project's influxdb-java client. One instance runs in each JobManager and TaskManager; Flink calls
 * {@link #report()} every configured interval on its reporter thread.
 *
 * <p>Why not Flink's own {@code flink-metrics-influxdb}: its only releases near our Flink are 2.0.0 and 2.3.0, and
 * its jar bundles influxdb-java 2.17, OkHttp 3.14, Okio 1.17 and Retrofit 2.6 <em>unrelocated</em> (Flink expects it
 * in a plugin folder with its own class loader), so on the jobs' single classpath it would put a second, older copy
 * of the classes our InfluxDB sinks use, and which copy wins would depend on the classpath order. It also names a
 * measurement per metric and tags each point with per-run ids (job id, attempt id, TaskManager id), which makes
 * dashboard queries long and series multiply with every restart.
 *
 * <p>Writing never fails the job: a failed write (InfluxDB down, database not created yet by the jobs' sinks) is
 * logged, rarely, and those values are lost; the next report writes fresh ones. When a metric goes away (its job
 * finished or failed over), its last value is written at the next report, so a short bounded run still leaves its
 * final counts.
 */
public final class InfluxMetricsReporter implements MetricReporter, Scheduled {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxMetricsReporter.class);
    /** Failed writes are logged at most this often; the reporter runs every few seconds. */
    private static final long LOG_EVERY_MS = 60_000;

    private final InfluxClient.Factory clients;
    private final Map<Metric, Target> metrics = new LinkedHashMap<>();
    /** Last values of metrics removed since the last report. */
    private final List<Value> removed = new ArrayList<>();
    private InfluxClient client;
    private String database;
    private long lastErrorLogMillis;
    private long failedWrites;
    /** Time of the points; a seam for tests. */
    LongSupplier clock = System::currentTimeMillis;

    /** The reporter Flink creates (through {@link InfluxMetricsReporterFactory}). */
    public InfluxMetricsReporter() {
        this(null);
    }

    /** A reporter writing through clients from {@code clients} (tests); null: the real ones, with credentials. */
    InfluxMetricsReporter(InfluxClient.Factory clients) {
        this.clients = clients;
    }

    @Override
    public void open(MetricConfig config) {
        String url = config.getString(PipelineMetrics.URL, null);
        database = config.getString(PipelineMetrics.DATABASE, null);
        if (url == null || database == null) {
            throw new IllegalArgumentException("metrics reporter " + PipelineMetrics.REPORTER_NAME + " needs '"
                    + PipelineMetrics.URL + "' and '" + PipelineMetrics.DATABASE + "' (see PipelineMetrics)");
        }
        String credentials = config.getString(PipelineMetrics.CREDENTIALS_FILE, null);
        client = (clients != null ? clients : InfluxDbJavaClient.factory(credentials)).connect(url);
        LOG.info("Writing pipeline metrics to {} database {}", url, database);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        Target target = PipelineMetrics.target(logicalScope(group), metricName, metric, group.getAllVariables());
        if (target == null) {
            // Not one of ours: only possible if the filter in the configuration was changed or left out.
            return;
        }
        synchronized (this) {
            metrics.put(metric, target);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        synchronized (this) {
            Target target = metrics.remove(metric);
            if (target != null) {
                Object value = read(metric);
                if (value != null) {
                    removed.add(new Value(target, value));
                }
            }
        }
    }

    @Override
    public void report() {
        List<Point> points = points(clock.getAsLong());
        if (points.isEmpty()) {
            return;
        }
        try {
            // A few dozen points every few seconds: influxdb-java's Point builds their text, off the data path.
            StringBuilder lines = new StringBuilder();
            for (Point p : points) {
                lines.append(p.lineProtocol(TimeUnit.MILLISECONDS)).append('\n');
            }
            client.write(database, null, lines.toString());
        } catch (RuntimeException e) {
            failedWrites++;
            long now = System.currentTimeMillis();
            if (now - lastErrorLogMillis >= LOG_EVERY_MS) {
                lastErrorLogMillis = now;
                LOG.warn("Could not write {} pipeline metric points to database {} ({} failed writes so far): {}",
                        points.size(), database, failedWrites, e.toString());
            }
        }
    }

    /** One point per measurement and tag set, with the current value of each of its metrics, at {@code now}. */
    synchronized List<Point> points(long now) {
        Map<String, Point.Builder> builders = new LinkedHashMap<>();
        List<Value> values = new ArrayList<>(removed);
        removed.clear();
        metrics.forEach((metric, target) -> {
            Object value = read(metric);
            if (value != null) {
                values.add(new Value(target, value));
            }
        });
        for (Value v : values) {
            PipelineMetrics.Field field = v.target().field();
            String key = field.measurement() + v.target().tags();
            Point.Builder b = builders.computeIfAbsent(key, k -> Point.measurement(field.measurement())
                    .time(now, TimeUnit.MILLISECONDS).tag(v.target().tags()));
            Number n = (Number) v.value();
            // A field's type is fixed by its first write: integers stay integers whatever the metric's Java type.
            if (field.integer()) {
                b.addField(field.name(), n.longValue());
            } else {
                b.addField(field.name(), n.doubleValue());
            }
        }
        List<Point> points = new ArrayList<>();
        builders.values().forEach(b -> points.add(b.build()));
        return points;
    }

    /**
     * The metric's value as a finite number, or {@code null} when it has none worth writing: a gauge that is not
     * numeric or not finite (Kafka's records-lag-max is NaN before the first fetch), or negative (Flink's
     * lastCheckpointDuration and lastCheckpointSize are -1 before the first checkpoint).
     */
    static Object read(Metric metric) {
        Number n;
        if (metric instanceof Counter c) {
            n = c.getCount();
        } else if (metric instanceof Meter m) {
            n = m.getRate();
        } else if (metric instanceof Gauge<?> g) {
            Object v = g.getValue();
            if (!(v instanceof Number number)) {
                return null;
            }
            n = number;
        } else {
            return null;
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
            return null;
        }
        return n;
    }

    private static String logicalScope(MetricGroup group) {
        try {
            return LogicalScopeProvider.castFrom(group).getLogicalScope(CharacterFilter.NO_OP_FILTER, '.');
        } catch (IllegalStateException e) {
            // A group that is not Flink's (e.g. a test's) has no logical scope: none of ours.
            return "";
        }
    }

    private record Value(Target target, Object value) {
    }
}
