package io.chipwatch.jobs.sink.influx;

import java.io.Serializable;
import java.util.List;

/**
 * The few InfluxDB operations the sink needs. A seam so that batching and retries can be tested without a
 * server; {@link InfluxDbJavaClient} is the real one.
 */
public interface InfluxClient extends AutoCloseable {
    /** Creates {@code database} if it does not exist (idempotent). */
    void createDatabase(String database);

    /**
     * Makes each policy exist with its duration, and the one marked default the default (idempotent: creates what
     * is missing, alters what differs, leaves the rest alone).
     */
    void ensureRetentionPolicies(String database, List<RetentionPolicySpec> policies);

    /**
     * Writes points to a retention policy of {@code database}, millisecond precision.
     *
     * @param retentionPolicy the policy, or {@code null} for the database's default one
     * @param lines           the points in line protocol, one a line ({@link LineProtocol})
     */
    void write(String database, String retentionPolicy, String lines);

    @Override
    void close();

    /** Opens a client; serializable because it travels with the sink to the task managers. */
    @FunctionalInterface
    interface Factory extends Serializable {
        InfluxClient connect(String url);
    }
}
