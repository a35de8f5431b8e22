package io.chipwatch.jobs.metrics;

import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Properties;

/**
 * Creates {@link InfluxMetricsReporter}s; found by Flink through {@code META-INF/services} and named in
 * {@code metrics.reporter.<name>.factory.class} (see {@link PipelineMetrics#reporterConfiguration}).
 */
public final class InfluxMetricsReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        // Configured in open(MetricConfig), which receives the same properties.
        return new InfluxMetricsReporter();
    }
}
