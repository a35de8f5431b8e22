package io.chipwatch.collector.cli;

import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.infra.metrics.SelfMetricsTarget;
import io.chipwatch.model.influx.InfluxCredentials;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the collector writes its own meters besides serving them on {@code /metrics}: {@code --influx-url} (none:
 * {@code /metrics} only), {@code --influx-db}, {@code --influx-credentials-file} (a writer's), and
 * {@code --self-metrics-interval}. The pipeline dashboard graphs what lands there.
 */
public final class SelfMetricsOptions {
    @Option(names = "--influx-url", paramLabel = "URL",
            description = "InfluxDB 1.x the collector writes its own meters to (chipwatch_collector_*, for the pipeline "
                    + "dashboard); none: they are on /metrics only.")
    String influxUrl;

    @Option(names = "--influx-db", defaultValue = "telemetry", paramLabel = "DB",
            description = "InfluxDB database for the collector's meters (default: ${DEFAULT-VALUE}).")
    String influxDb;

    @Option(names = "--influx-credentials-file", paramLabel = "FILE",
            description = "InfluxDB credentials of a writer, a file of one line user:password (mode 600) [else the "
                    + "environment's " + InfluxCredentials.ENV_FILE + ", or " + InfluxCredentials.ENV_USER + " and "
                    + InfluxCredentials.ENV_PASSWORD + "; else none].")
    Path influxCredentialsFile;

    @Option(names = "--self-metrics-interval", defaultValue = "10s", converter = DurationConverter.class,
            paramLabel = "DURATION", description = "How often the meters go to InfluxDB (default: ${DEFAULT-VALUE}).")
    Duration interval;

    /** The target the options name; empty without {@code --influx-url}. Bad values fail naming the option. */
    Optional<SelfMetricsTarget> target(Map<String, String> env) {
        if (influxUrl == null || influxUrl.isBlank()) {
            return Optional.empty();
        }
        Optional<InfluxCredentials> credentials;
        try {
            credentials = InfluxCredentials.resolve(Optional.ofNullable(influxCredentialsFile), env);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("--influx-credentials-file: " + e.getMessage(), e);
        }
        try {
            return Optional.of(new SelfMetricsTarget(influxUrl, influxDb, credentials, interval));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--influx-url/--influx-db/--self-metrics-interval: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Starts writing {@code metrics} where the options say; bad options fail the command naming the option.
     *
     * @return what stops it (a no-op without {@code --influx-url})
     */
    AutoCloseable start(CollectorMetrics metrics, String instance, CommandSpec spec) {
        Optional<SelfMetricsTarget> t;
        try {
            t = target(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return t.isEmpty() ? () -> { } : metrics.pushTo(t.get(), instance);
    }
}
