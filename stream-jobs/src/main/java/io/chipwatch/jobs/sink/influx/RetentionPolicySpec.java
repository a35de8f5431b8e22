package io.chipwatch.jobs.sink.influx;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A retention policy the sink makes sure exists, with this duration, when it opens.
 *
 * @param name      policy name, e.g. {@code raw_7d}
 * @param duration  how long InfluxDB keeps points in it; whole hours, at least one
 * @param isDefault whether it is the database's default policy (where writes and queries without a policy go)
 */
public record RetentionPolicySpec(String name, Duration duration, boolean isDefault) implements Serializable {
    public RetentionPolicySpec {
        Objects.requireNonNull(name, "name");
        if (duration.toHours() < 1 || !duration.equals(Duration.ofHours(duration.toHours()))) {
            throw new IllegalArgumentException("retention of " + name + " must be whole hours, at least 1, got " + duration);
        }
    }

    /** The duration as InfluxDB's {@code SHOW RETENTION POLICIES} prints it, e.g. {@code 168h0m0s}. */
    String influxDuration() {
        return duration.toHours() + "h0m0s";
    }
}
