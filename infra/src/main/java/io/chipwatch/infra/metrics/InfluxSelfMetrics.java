package io.chipwatch.infra.metrics;

import io.chipwatch.model.influx.InfluxCredentials;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.influx.InfluxApiVersion;
import io.micrometer.influx.InfluxConfig;
import io.micrometer.influx.InfluxMeterRegistry;

import java.time.Duration;

/**
 * Writes a service's own meters into InfluxDB, so that the collector's and the alerting service's health lies beside
 * the jobs' {@code pipeline_*} self-metrics and the pipeline dashboard can graph it. It is Micrometer's InfluxDB
 * registry (v1 API), added to the service's {@link CompositeMeterRegistry} beside the Prometheus registry that
 * serves {@code /metrics}: every meter is registered once and reaches both.
 *
 * <p>What is written, every {@link SelfMetricsTarget#step()}: only the service's own meters (named
 * {@code chipwatch.*}; the JVM's and the simulated cluster's series stay on {@code /metrics}), one measurement per
 * meter in Micrometer's Influx naming ({@code chipwatch.collector.samples.dropped} →
 * {@code chipwatch_collector_samples_dropped}), the meter's tags plus the service's ({@code service}, {@code instance}). Counters carry field
 * {@code value} = the increase over the step; gauges {@code value}; timers {@code sum}, {@code count},
 * {@code mean}, {@code upper} (milliseconds). docs/CONTRACTS.md lists the measurements.
 *
 * <p>Writing never disturbs the service: a failed write (InfluxDB down, restarting) is logged by Micrometer and those
 * values are lost; the next step writes fresh ones. The database is never created from here (writers hold no admin
 * right): the stack creates it.
 */
public final class InfluxSelfMetrics {
    /** The prefix of the meters that are written. */
    public static final String OWN_METERS = "chipwatch.";

    private InfluxSelfMetrics() {
    }

    /**
     * Starts writing {@code registry}'s own meters to {@code target}, with {@code tags} on every point (at least
     * {@code service}).
     *
     * @return what stops the writing: close it at shutdown (it writes a last step, then removes the registry)
     */
    public static AutoCloseable pushTo(CompositeMeterRegistry registry, SelfMetricsTarget target, Tags tags) {
        InfluxMeterRegistry influx = new InfluxMeterRegistry(config(target), Clock.SYSTEM);
        influx.config()
                .meterFilter(MeterFilter.acceptNameStartsWith(OWN_METERS))
                .meterFilter(MeterFilter.deny())
                .commonTags(tags);
        registry.add(influx);
        return () -> {
            registry.remove(influx);
            influx.close();
        };
    }

    static InfluxConfig config(SelfMetricsTarget target) {
        String user = target.credentials().map(InfluxCredentials::user).orElse(null);
        String password = target.credentials().map(InfluxCredentials::password).orElse(null);
        Duration step = target.step();
        return new InfluxConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String uri() {
                return target.url();
            }

            @Override
            public String db() {
                return target.database();
            }

            @Override
            public String userName() {
                return user;
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public boolean autoCreateDb() {
                return false;
            }

            @Override
            public InfluxApiVersion apiVersion() {
                return InfluxApiVersion.V1;
            }

            @Override
            public Duration step() {
                return step;
            }
        };
    }
}
