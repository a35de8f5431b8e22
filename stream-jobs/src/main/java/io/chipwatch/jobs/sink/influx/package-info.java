/**
 * A Flink Sink V2 writing to InfluxDB 1.x (or any server with the v1 {@code /write} API) through
 * {@code org.influxdb:influxdb-java}: {@link io.chipwatch.jobs.sink.influx.InfluxSink} batches points that a
 * {@link io.chipwatch.jobs.sink.influx.PointConverter} writes as line protocol
 * ({@link io.chipwatch.jobs.sink.influx.LineProtocol}) and sends each batch as one request, with bounded retries. One converter per
 * measurement of the storage contract (CONTRACTS.md §3), e.g. {@link io.chipwatch.jobs.sink.influx.ChipWindowToPoint}.
 */
package io.chipwatch.jobs.sink.influx;
