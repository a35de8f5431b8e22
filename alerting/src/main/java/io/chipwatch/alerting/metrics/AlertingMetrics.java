package io.chipwatch.alerting.metrics;

import io.chipwatch.infra.metrics.InfluxSelfMetrics;
import io.chipwatch.infra.metrics.SelfMetricsTarget;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The service's metrics, served in the Prometheus text format on {@code /metrics}, each named
 * {@code chipwatch_alerting_<name>} ({@link #PREFIX}; below without it):
 * <ul>
 *   <li>{@code notifications_total{receiver,outcome}}: outcome {@code success}, {@code failure} (a failed attempt,
 *       retried), {@code obsolete} (no longer needed when a retry came: its alerts resolved before ever reaching
 *       the receiver; logged);</li>
 *   <li>{@code receiver_up{receiver}} 1/0, {@code receiver_consecutive_failures{receiver}},
 *       {@code notifications_pending{receiver}} (being delivered or waiting for a retry);</li>
 *   <li>{@code notification_attempt_seconds{receiver}}: duration of each attempt;
 *       {@code alert_delivery_latency_seconds{receiver}}: from receiving an alert's anomaly to its first page;</li>
 *   <li>{@code anomalies_received_total{outcome}} (pending, firing, merged, resolved, still_open, duplicate,
 *       unmatched, invalid);</li>
 *   <li>{@code alerts{status}} (pending, firing, resolved), {@code silences_active}, {@code alert_groups};</li>
 *   <li>{@code state_writes_total{outcome}}, {@code influx_writes_total{outcome}};</li>
 *   <li>{@code alertmanager_sync_total{outcome}}, {@code alertmanager_sync_up}: the silence sync.</li>
 * </ul>
 * With {@link #pushTo} the same meters (not the JVM's) are also written to InfluxDB every few seconds (the pipeline
 * dashboard's alerting panels).
 */
public final class AlertingMetrics {
    /**
     * Prefix of every metric of this service (Micrometer's dotted form; {@code chipwatch_alerting_} in the
     * exposition), so that they cannot be mistaken for Alertmanager's or another exporter's in one Prometheus.
     * The JVM metrics keep their usual names.
     */
    public static final String PREFIX = "chipwatch.alerting.";

    private final PrometheusMeterRegistry prometheus;
    /** Where meters are registered: the Prometheus registry of {@code /metrics}, and InfluxDB after {@link #pushTo}. */
    private final CompositeMeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public AlertingMetrics() {
        this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.registry = new CompositeMeterRegistry(Clock.SYSTEM, List.of(prometheus));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return prometheus.scrape();
    }

    /**
     * Also writes this service's own meters to InfluxDB every {@link SelfMetricsTarget#step()}, tagged
     * {@code service=alerting}.
     *
     * @return what stops the writing (after a last write)
     */
    public AutoCloseable pushTo(SelfMetricsTarget target) {
        return InfluxSelfMetrics.pushTo(registry, target, Tags.of("service", "alerting"));
    }

    public void notification(String receiver, String outcome) {
        Counter.builder(PREFIX + "notifications").description("Notifications by receiver and outcome")
                .tag("receiver", receiver).tag("outcome", outcome).register(registry).increment();
    }

    public void attempt(String receiver, Duration took) {
        Timer.builder(PREFIX + "notification.attempt").description("Duration of each delivery attempt")
                .tag("receiver", receiver).register(registry).record(took);
    }

    public void deliveryLatency(String receiver, Duration latency) {
        Timer.builder(PREFIX + "alert.delivery.latency")
                .description("From receiving an alert's anomaly to its first successful notification")
                .tag("receiver", receiver).publishPercentiles(0.5, 0.95, 0.99).register(registry).record(latency);
    }

    public void anomaly(String outcome) {
        Counter.builder(PREFIX + "anomalies.received").description("Anomaly events by what they did")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void stateWrite(String outcome) {
        Counter.builder(PREFIX + "state.writes").description("Records written to the state topic")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void influxWrite(String outcome) {
        Counter.builder(PREFIX + "influx.writes").description("Alert points written to InfluxDB")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** A round of the silence and acknowledgement sync with Alertmanager: {@code success} or {@code failure}. */
    public void alertmanagerSync(String outcome) {
        Counter.builder(PREFIX + "alertmanager.sync").description("Rounds of the silence sync with Alertmanager")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** A gauge whose value the caller sets; registered on first use. */
    public AtomicLong gauge(String name, String description, String... tags) {
        String key = name + String.join(",", tags);
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(PREFIX + name, value, AtomicLong::get).description(description).tags(tags)
                    .register(registry);
            return value;
        });
    }

    /** A gauge read from a supplier at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(PREFIX + name, value).description(description).tags(tags).register(registry);
    }
}
