package io.chipwatch.jobs.sink.influx;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-subtask writer of {@link InfluxSink}: buffers points and writes them synchronously, with retries, when
 * the buffer is full or Flink asks for a flush. Writing on the task thread is deliberate: while InfluxDB is
 * slow the job slows down (back-pressure) instead of buffering without bound.
 *
 * <p>Metrics: counters {@code influxPointsWritten}, {@code influxWriteRetries}.
 */
final class InfluxSinkWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxSinkWriter.class);

    private final InfluxClient client;
    private final String database;
    private final PointConverter<T> converter;
    private final int batchSize;
    private final RetryPolicy retryPolicy;
    private final Counter pointsWritten;
    private final Counter writeRetries;
    private List<Point> buffer;

    InfluxSinkWriter(InfluxClient client, String database, PointConverter<T> converter, int batchSize,
                     RetryPolicy retryPolicy, MetricGroup metrics) throws IOException {
        this.client = client;
        this.database = database;
        this.converter = converter;
        this.batchSize = batchSize;
        this.retryPolicy = retryPolicy;
        this.pointsWritten = metrics.counter("influxPointsWritten");
        this.writeRetries = metrics.counter("influxWriteRetries");
        this.buffer = new ArrayList<>(batchSize);
        try {
            // InfluxDB may still be starting when the job starts, so this gets the same patience as a write.
            withRetries("CREATE DATABASE " + database, () -> client.createDatabase(database));
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
        buffer.add(converter.toPoint(element));
        if (buffer.size() >= batchSize) {
            writeBuffer();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBuffer();
    }

    @Override
    public void close() {
        // Not flushing here: on a normal end flush(true) has run already, and on failure or cancellation
        // the unwritten points are replayed from the last checkpoint.
        client.close();
    }

    private void writeBuffer() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        List<Point> batch = buffer;
        withRetries("write of " + batch.size() + " points to " + database, () -> client.write(database, batch));
        pointsWritten.inc(batch.size());
        buffer = new ArrayList<>(batchSize);
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
                if (e instanceof InfluxDBException influx && !influx.isRetryWorth()) {
                    throw new IOException(what + " failed and retrying cannot help: " + e.getMessage(), e);
                }
                long wait = retryPolicy.backoff(attempt).toMillis();
                if (waitedMillis + wait > retryPolicy.maxTotal().toMillis()) {
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
