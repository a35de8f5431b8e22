package io.chipwatch.infra.metrics;

import io.chipwatch.model.influx.InfluxCredentials;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a service pushes its own meters: an InfluxDB 1.x server, its database, the credentials of a user allowed to
 * write there, and how often. Validated when built, so a bad value fails at start naming the option.
 *
 * @param url      the InfluxDB base URL ({@code http://127.0.0.1:8086})
 * @param database the database (the stack's telemetry database, beside the jobs' {@code pipeline_*})
 * @param credentials a writer's credentials; empty on a server without auth
 * @param step     how often the meters are written (counters are written as the increase over one step)
 */
public record SelfMetricsTarget(String url, String database, Optional<InfluxCredentials> credentials, Duration step) {
    /** Written every 10 s, as the jobs' metric reporter does. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(10);

    public SelfMetricsTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(step, "step");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("InfluxDB URL '" + url + "' must be http(s)://host:port, e.g. "
                    + "http://127.0.0.1:8086 (" + e.getMessage() + ")", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("InfluxDB URL '" + url
                    + "' must be http(s)://host:port, e.g. http://127.0.0.1:8086");
        }
        if (database.isBlank()) {
            throw new IllegalArgumentException("InfluxDB database must not be blank");
        }
        if (step.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("self-metrics interval " + step + " is under 1 s; give e.g. 10s");
        }
    }
}
