package io.chipwatch.jobs.sink.influx;

import org.influxdb.dto.Point;

import java.io.Serializable;

/**
 * Maps one stream element to one InfluxDB point. Shipped to the task managers with the sink, hence
 * serializable; it should be stateless.
 *
 * @param <T> element type
 */
@FunctionalInterface
public interface PointConverter<T> extends Serializable {
    /** The point for {@code value}, with its measurement, tags, fields and timestamp (millisecond precision). */
    Point toPoint(T value);

    /**
     * The retention policy {@code value}'s point goes to, or {@code null} for the sink's own
     * ({@link InfluxSink.Builder#retentionPolicy}).
     */
    default String retentionPolicy(T value) {
        return null;
    }
}
