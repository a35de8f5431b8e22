package io.chipwatch.jobs.sink.influx;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.influxdb.InfluxDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The per-subtask writer of {@link InfluxSink}: buffers points and writes them synchronously, with retries, when
 * the buffer is full, when its oldest point has waited the {@link BufferPolicy}'s delay (a processing-time timer,
 * run on the task thread like everything else here), or when Flink asks for a flush. Writing on the task thread is deliberate: while InfluxDB is
 * slow the job slows down (back-pressure) instead of buffering without bound. Points are grouped by retention
 * policy, one write request per policy.
 *
 * <p>Metrics: counters {@code influxPointsWritten}, {@code influxWriteRetries}, {@code influxWriteFailures} (writes
 * given up on, each of which fails the job) and {@code influxPointsBeyondRetention}; gauges
 * {@value #LAST_WRITE_OK_GAUGE} (the wall-clock time of the last successful write, 0 before any) and
 * {@value #LAST_WRITE_ERROR_GAUGE} (the last failed attempt's error, retried ones included, in short; empty once a
 * write succeeded) and {@value #FAILING_SINCE_GAUGE} (the wall-clock time of the first failed attempt since the last
 * success, 0 while writes succeed), which the alerting service's path watch reads through the Flink REST API to name InfluxDB
 * refusing writes while it still answers {@code /ping}.
 */
final class InfluxSinkWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxSinkWriter.class);
    /** Buffer key of the points that go to the database's default policy. */
    private static final String DEFAULT_POLICY = "";
    /** Gauge: the wall-clock time (epoch ms) of the last successful write of this subtask, 0 before any. */
    static final String LAST_WRITE_OK_GAUGE = "influxLastWriteOkMillis";
    /** Gauge: the last failed attempt's error in short, empty when the last attempt succeeded. */
    static final String LAST_WRITE_ERROR_GAUGE = "influxLastWriteError";
    /** Gauge: the wall-clock time of the first failed attempt since the last successful one, 0 when none failed. */
    static final String FAILING_SINCE_GAUGE = "influxFailingSinceMillis";
    /** The longest error text the gauge holds (it travels in every metric query). */
    static final int MAX_ERROR_CHARS = 300;

    private final InfluxClient client;
    private final String database;
    private final String retentionPolicy;
    private final PointConverter<T> converter;
    private final BufferPolicy buffer;
    private final ProcessingTimeService timers;
    private final RetryPolicy retryPolicy;
    private final Counter pointsWritten;
    private final Counter writeRetries;
    private final Counter pointsBeyondRetention;
    private final Counter writeFailures;
    private final LongSupplier wallClock;
    /** Read by the metric query service's thread. */
    private volatile long lastWriteOkMillis;
    private volatile String lastWriteError = "";
    private volatile long failingSinceMillis;
    /** Buffered points by retention policy, in the order the policies were first seen. */
    private final Map<String, Batch> buffers = new LinkedHashMap<>();
    private int buffered;
    /** Whether a timer is set to write the buffer; set by the first point after a write. */
    private boolean writeScheduled;

    InfluxSinkWriter(InfluxClient client, String database, List<RetentionPolicySpec> retentionPolicies,
                     String retentionPolicy, PointConverter<T> converter, BufferPolicy buffer,
                     ProcessingTimeService timers, RetryPolicy retryPolicy, MetricGroup metrics) throws IOException {
        this(client, database, retentionPolicies, retentionPolicy, converter, buffer, timers, retryPolicy, metrics,
                System::currentTimeMillis);
    }

    /** As the other constructor, with the wall clock of {@value #LAST_WRITE_OK_GAUGE} given (tests). */
    InfluxSinkWriter(InfluxClient client, String database, List<RetentionPolicySpec> retentionPolicies,
                     String retentionPolicy, PointConverter<T> converter, BufferPolicy buffer,
                     ProcessingTimeService timers, RetryPolicy retryPolicy, MetricGroup metrics,
                     LongSupplier wallClock) throws IOException {
        this.wallClock = wallClock;
        this.client = client;
        this.database = database;
        this.retentionPolicy = retentionPolicy;
        this.converter = converter;
        this.buffer = buffer;
        this.timers = timers;
        this.retryPolicy = retryPolicy;
        this.pointsWritten = metrics.counter("influxPointsWritten");
        this.writeRetries = metrics.counter("influxWriteRetries");
        this.pointsBeyondRetention = metrics.counter("influxPointsBeyondRetention");
        this.writeFailures = metrics.counter("influxWriteFailures");
        metrics.gauge(LAST_WRITE_OK_GAUGE, (Gauge<Long>) () -> lastWriteOkMillis);
        metrics.gauge(LAST_WRITE_ERROR_GAUGE, (Gauge<String>) () -> lastWriteError);
        metrics.gauge(FAILING_SINCE_GAUGE, (Gauge<Long>) () -> failingSinceMillis);
        try {
            // InfluxDB may still be starting when the job starts, so this gets the same patience as a write.
            withRetries("CREATE DATABASE " + database, () -> client.createDatabase(database));
            if (!retentionPolicies.isEmpty()) {
                withRetries("retention policies of " + database,
                        () -> client.ensureRetentionPolicies(database, retentionPolicies));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            client.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        String policy = converter.retentionPolicy(element);
        if (policy == null) {
            policy = retentionPolicy == null ? DEFAULT_POLICY : retentionPolicy;
        }
        buffers.computeIfAbsent(policy, k -> new Batch()).add(converter, element);
        if (++buffered >= buffer.maxPoints()) {
            writeBuffers();
        } else if (!writeScheduled && !buffer.maxDelay().isZero()) {
            // A timer set by an earlier point may fire sooner than this one needs: never later.
            writeScheduled = true;
            timers.registerTimer(timers.getCurrentProcessingTime() + buffer.maxDelay().toMillis(), this::onDelay);
        }
    }

    /** The oldest buffered point has waited long enough: writes whatever is buffered. */
    private void onDelay(long time) throws IOException, InterruptedException {
        writeScheduled = false;
        if (buffered > 0) {
            writeBuffers();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBuffers();
    }

    @Override
    public void close() {
        // Not flushing here: on a normal end flush(true) has run already, and on failure or cancellation
        // the unwritten points are replayed from the last checkpoint.
        client.close();
    }

    private void writeBuffers() throws IOException, InterruptedException {
        for (Map.Entry<String, Batch> entry : buffers.entrySet()) {
            Batch batch = entry.getValue();
            if (batch.points == 0) {
                continue;
            }
            int points = batch.points;
            String lines = batch.text.toString();
            String policy = entry.getKey().equals(DEFAULT_POLICY) ? null : entry.getKey();
            String what = "write of " + points + " points to " + database + (policy == null ? "" : "." + policy);
            long[] dropped = {0};
            withRetries(what, () -> {
                try {
                    client.write(database, policy, lines);
                } catch (InfluxDBException.PointsBeyondRetentionPolicyException e) {
                    // InfluxDB wrote the rest of the batch; these points are older than the policy keeps anything.
                    // Retrying (or failing and replaying) would only drop them again.
                    dropped[0] = droppedCount(e.getMessage(), points);
                    LOG.warn("{}: InfluxDB dropped {} points older than the retention policy: {}", what, dropped[0],
                            e.getMessage());
                }
            });
            pointsBeyondRetention.inc(dropped[0]);
            pointsWritten.inc(points - dropped[0]);
            lastWriteOkMillis = wallClock.getAsLong();
            lastWriteError = "";
            failingSinceMillis = 0;
            batch.clear();
        }
        buffered = 0;
    }

    /** The buffered points of one retention policy, as line protocol; the text buffer is reused between writes. */
    private static final class Batch {
        final StringBuilder text = new StringBuilder(1 << 16);
        final LineProtocol encoder = new LineProtocol(text);
        int points;

        <T> void add(PointConverter<T> converter, T element) {
            int length = text.length();
            try {
                converter.write(element, encoder);
            } catch (RuntimeException e) {
                encoder.discardFrom(length);
                throw e;
            }
            points++;
        }

        void clear() {
            encoder.discardFrom(0);
            points = 0;
        }
    }

    /** The {@code dropped=N} of a partial-write message, or {@code fallback} if it has none. */
    static long droppedCount(String message, long fallback) {
        int at = message == null ? -1 : message.indexOf("dropped=");
        if (at < 0) {
            return fallback;
        }
        int end = at + "dropped=".length();
        while (end < message.length() && Character.isDigit(message.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(message.substring(at + "dropped=".length(), end));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** What the error gauge shows of a failed attempt: InfluxDB's message (or the exception), then what failed. */
    static String shortError(String what, RuntimeException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage().strip();
        String text = message.replaceAll("\\s+", " ") + " (" + what + ")";
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 3) + "...";
    }

    private void withRetries(String what, Runnable call) throws IOException, InterruptedException {
        long waitedMillis = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                if (attempt > 1) {
                    LOG.info("{} succeeded after {} attempts", what, attempt);
                }
                return;
            } catch (RuntimeException e) {
                lastWriteError = shortError(what, e);
                if (failingSinceMillis == 0) {
                    failingSinceMillis = wallClock.getAsLong();
                }
                if (e instanceof InfluxDBException influx && !influx.isRetryWorth()) {
                    writeFailures.inc();
                    throw new IOException(what + " failed and retrying cannot help: " + e.getMessage(), e);
                }
                long wait = retryPolicy.backoff(attempt).toMillis();
                if (waitedMillis + wait > retryPolicy.maxTotal().toMillis()) {
                    // Counted although the job is about to fail: the restart resets the counter, but the reporter
                    // has written this value (it writes a removed metric's last value) for the dashboard to see.
                    writeFailures.inc();
                    throw new IOException(what + " failed " + attempt + " times over " + waitedMillis
                            + " ms; giving up so that the job restarts from its last checkpoint", e);
                }
                LOG.warn("{} failed (attempt {}), retrying in {}: {}", what, attempt, Duration.ofMillis(wait),
                        e.toString());
                writeRetries.inc();
                Thread.sleep(wait);
                waitedMillis += wait;
            }
        }
    }
}
