/**
 * The jobs' self-metrics in InfluxDB: {@link io.chipwatch.jobs.metrics.InfluxMetricsReporter}, a Flink metric
 * reporter that writes a chosen few of Flink's metrics (checkpoints, Kafka lag, record rates, InfluxDB sink
 * counters, dead letters) as the {@code pipeline_*} measurements, and {@link io.chipwatch.jobs.metrics.PipelineMetrics},
 * which names them and configures the reporter.
 */
package io.chipwatch.jobs.metrics;
