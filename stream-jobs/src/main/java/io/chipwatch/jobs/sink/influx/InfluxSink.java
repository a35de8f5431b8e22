package io.chipwatch.jobs.sink.influx;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes stream elements to InfluxDB as points, in batches.
 *
 * <p>Delivery: each writer buffers points and writes them when the batch is full, when the oldest has waited the
 * {@link BufferPolicy}'s delay (1 s by default), and whenever Flink calls {@link SinkWriter#flush(boolean)}, which
 * it does before every checkpoint barrier and at end of input. So a checkpoint completes only after everything before it is in InfluxDB (at-least-once).
 * Because a point is identified by measurement, tag set and timestamp, rewriting it after a restart
 * overwrites it with the same values: replays do not double-count.
 *
 * <p>Failures: a failed write is retried with {@link RetryPolicy exponential backoff}; when retries are
 * exhausted, or the server says retrying cannot help (e.g. a field type conflict), the writer throws and Flink
 * restarts from the last checkpoint, losing nothing. One failure is not retried and does not fail the job: points
 * older than their retention policy, which InfluxDB drops while keeping the rest of the batch; they are counted in
 * {@code influxPointsBeyondRetention} and logged.
 *
 * <p>When a writer opens it creates the database and the configured retention policies (idempotent), with the
 * same patience as a write.
 *
 * @param <T> element type
 */
public final class InfluxSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String database;
    private final PointConverter<T> converter;
    private final BufferPolicy buffer;
    private final RetryPolicy retryPolicy;
    private final InfluxClient.Factory clientFactory;
    private final String retentionPolicy;
    private final List<RetentionPolicySpec> retentionPolicies;

    private InfluxSink(Builder<T> b) {
        this.url = Objects.requireNonNull(b.url, "url");
        this.database = Objects.requireNonNull(b.database, "database");
        this.converter = Objects.requireNonNull(b.converter, "converter");
        this.retryPolicy = Objects.requireNonNull(b.retryPolicy, "retryPolicy");
        this.clientFactory = Objects.requireNonNull(b.clientFactory, "clientFactory");
        this.buffer = new BufferPolicy(b.batchSize, b.maxBufferDelay);
        this.retentionPolicy = b.retentionPolicy;
        this.retentionPolicies = List.copyOf(b.retentionPolicies);
    }

    /** A builder; {@code url}, {@code database} and {@code converter} are required. */
    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new InfluxSinkWriter<>(clientFactory.connect(url), database, retentionPolicies, retentionPolicy,
                converter, buffer, context.getProcessingTimeService(), retryPolicy, context.metricGroup());
    }

    /** Builder of {@link InfluxSink}. */
    public static final class Builder<T> {
        private String url;
        private String database;
        private PointConverter<T> converter;
        private int batchSize = BufferPolicy.DEFAULT.maxPoints();
        private Duration maxBufferDelay = BufferPolicy.DEFAULT.maxDelay();
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private InfluxClient.Factory clientFactory = InfluxDbJavaClient.factory(null);
        private String retentionPolicy;
        private List<RetentionPolicySpec> retentionPolicies = List.of();

        private Builder() {
        }

        /** Where points go unless the converter names a policy; {@code null} (default) for the database's default. */
        public Builder<T> retentionPolicy(String retentionPolicy) {
            this.retentionPolicy = retentionPolicy;
            return this;
        }

        /** Policies to create (or correct) when a writer opens. */
        public Builder<T> retentionPolicies(List<RetentionPolicySpec> retentionPolicies) {
            this.retentionPolicies = List.copyOf(retentionPolicies);
            return this;
        }

        /** Server URL, e.g. {@code http://127.0.0.1:8086}. */
        public Builder<T> url(String url) {
            this.url = url;
            return this;
        }

        /** Database to create and write to. */
        public Builder<T> database(String database) {
            this.database = database;
            return this;
        }

        /** How elements become points. */
        public Builder<T> converter(PointConverter<T> converter) {
            this.converter = converter;
            return this;
        }

        /** Points per write request (default 5000, {@link BufferPolicy#DEFAULT}). */
        public Builder<T> batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Longest a buffered point waits before it is written (default 1 s); zero for size and checkpoints only. */
        public Builder<T> maxBufferDelay(Duration maxBufferDelay) {
            this.maxBufferDelay = Objects.requireNonNull(maxBufferDelay, "maxBufferDelay");
            return this;
        }

        /** Backoff for failed writes (default {@link RetryPolicy#DEFAULT}). */
        public Builder<T> retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /**
         * Authenticate with the credentials file at {@code file} (read where the writer opens), else with the
         * environment's ({@code CHIPWATCH_INFLUX_USER}/{@code _PASSWORD}), else none: {@code InfluxCredentials}.
         */
        public Builder<T> credentialsFile(Optional<Path> file) {
            this.clientFactory = InfluxDbJavaClient.factory(file.map(Path::toString).orElse(null));
            return this;
        }

        /** Where clients come from; replace only in tests. */
        public Builder<T> clientFactory(InfluxClient.Factory clientFactory) {
            this.clientFactory = clientFactory;
            return this;
        }

        public InfluxSink<T> build() {
            return new InfluxSink<>(this);
        }
    }
}
