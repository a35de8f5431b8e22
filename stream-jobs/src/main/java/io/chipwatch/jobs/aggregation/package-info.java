/**
 * The aggregation job: chip samples from Kafka into the 10-second {@code chip}, {@code link}, {@code node},
 * {@code rack}, {@code pod}, {@code cluster} and {@code job} points and the 1-minute and 1-hour capacity points of the
 * storage contract ({@link io.chipwatch.jobs.aggregation.AggregationJob}, configured by
 * {@link io.chipwatch.jobs.aggregation.AggregationJobConfig}).
 */
package io.chipwatch.jobs.aggregation;
