/**
 * {@link io.chipwatch.jobs.sketch.LatencySketch}, the mergeable latency histogram behind every percentile the jobs
 * write, with its Flink serializer.
 */
package io.chipwatch.jobs.sketch;
