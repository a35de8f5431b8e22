package io.chipwatch.jobs.sink.influx;

import java.io.Serializable;

/**
 * Maps one stream element to one InfluxDB point, written as line protocol. Shipped to the task managers with the sink, hence
 * serializable; it should be stateless.
 *
 * @param <T> element type
 */
@FunctionalInterface
public interface PointConverter<T> extends Serializable {
    /**
     * Writes the point of {@code value} to {@code point}: its measurement, tags (in key order), fields and timestamp
     * (epoch milliseconds), from {@link LineProtocol#measurement} to {@link LineProtocol#time}.
     */
    void write(T value, LineProtocol point);

    /**
     * The retention policy {@code value}'s point goes to, or {@code null} for the sink's own
     * ({@link InfluxSink.Builder#retentionPolicy}).
     */
    default String retentionPolicy(T value) {
        return null;
    }
}
