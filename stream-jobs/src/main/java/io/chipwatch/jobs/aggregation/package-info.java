/**
 * The aggregation job: chip samples from Kafka into 10-second {@code chip} points in InfluxDB
 * ({@link io.chipwatch.jobs.aggregation.AggregationJob}, configured by
 * {@link io.chipwatch.jobs.aggregation.AggregationJobConfig}).
 */
package io.chipwatch.jobs.aggregation;
