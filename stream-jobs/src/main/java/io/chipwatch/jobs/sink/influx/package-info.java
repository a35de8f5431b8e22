/**
 * A Flink Sink V2 writing to InfluxDB 1.x (or any server with the v1 {@code /write} API) through
 * {@code org.influxdb:influxdb-java}: {@link io.chipwatch.jobs.sink.influx.InfluxSink} batches points made by a
 * {@link io.chipwatch.jobs.sink.influx.PointConverter} and writes them with bounded retries. One converter per
 * measurement of the storage contract (CONTRACTS.md §3), e.g. {@link io.chipwatch.jobs.sink.influx.ChipWindowToPoint}.
 */
package io.chipwatch.jobs.sink.influx;
