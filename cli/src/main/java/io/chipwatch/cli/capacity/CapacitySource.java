package io.chipwatch.cli.capacity;

import org.influxdb.dto.QueryResult;

/** Where {@code capacity} sends its InfluxQL: InfluxDB ({@link InfluxCapacitySource}), or a fake in tests. */
public interface CapacitySource extends AutoCloseable {

    /** Runs one statement; times in the answer as epoch milliseconds. */
    QueryResult query(String influxql);

    @Override
    default void close() {
    }
}
