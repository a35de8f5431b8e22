package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.jobs.datatypes.Rollup;
import org.apache.flink.api.connector.sink2.Sink;

import java.util.Objects;

/**
 * Where the {@link AggregationJob} writes each of its outputs; {@code main} uses InfluxDB and Kafka, tests pass
 * in-memory sinks.
 *
 * @param chips       10-second {@code chip} points
 * @param links       {@code link} points: the link windows {@link io.chipwatch.jobs.functions.LinkDetail} keeps
 * @param rollups     10-second {@code node}, {@code rack}, {@code pod}, {@code cluster} and {@code job} points
 * @param capacity    1-minute and 1-hour capacity points
 * @param deadLetters records that were rejected (malformed, invalid or late)
 */
public record AggregationSinks(Sink<ChipWindow> chips, Sink<LinkWindow> links, Sink<Rollup> rollups,
                               Sink<CapacityPoint> capacity, Sink<DeadLetter> deadLetters) {
    public AggregationSinks {
        Objects.requireNonNull(chips, "chips");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(rollups, "rollups");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }
}
