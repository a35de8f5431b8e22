package io.chipwatch.collector.metrics;

import io.chipwatch.collector.publish.FaultTruthPublisher;
import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.publish.SampleBuffer;
import io.chipwatch.collector.runtime.RealTimeSampler;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.FaultStatus;
import io.chipwatch.collector.source.SourceMetrics;
import io.chipwatch.infra.metrics.InfluxSelfMetrics;
import io.chipwatch.infra.metrics.SelfMetricsTarget;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The collector's own health as Micrometer meters (Prometheus names in brackets):
 * <ul>
 *   <li>samples produced by the simulator [{@code chipwatch_collector_samples_produced_total}], dropped because the
 *       send buffer was full [{@code …_samples_dropped_total}], accepted by the producer [{@code …_samples_sent_total}],
 *       acknowledged by the broker [{@code …_samples_acknowledged_total}], failed in the producer
 *       [{@code …_samples_failed_total}]; samples waiting in the send buffer [{@code chipwatch_collector_buffer_samples}];</li>
 *   <li>send latency, producer send to broker ack [{@code chipwatch_collector_send_latency_seconds}, histogram];</li>
 *   <li>tick duration [{@code chipwatch_collector_tick_duration_seconds}] and skipped ticks
 *       [{@code chipwatch_collector_ticks_skipped_total}]; steps of the wall clock the sampler saw
 *       [{@code chipwatch_collector_wall_clock_steps_total}] and how far its timestamps run ahead of the wall clock
 *       after a step back [{@code chipwatch_collector_wall_clock_lead_seconds}];</li>
 *   <li>active faults [{@code chipwatch_collector_faults_active}], ground-truth events published / failed.</li>
 * </ul>
 * {@link #scrape} writes them followed by the simulated cluster's series ({@link ClusterExposition}), or, with a
 * real source, by that source's per-target and per-chip series ({@link SourceMetrics}). With {@link #pushTo} the
 * same meters are also written to InfluxDB every few seconds (the pipeline dashboard's collector panels).
 */
public final class CollectorMetrics {
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Where meters are registered: the Prometheus registry of {@code /metrics}, and InfluxDB after {@link #pushTo}. */
    private final CompositeMeterRegistry registry = new CompositeMeterRegistry(Clock.SYSTEM, List.of(prometheus));
    private final Counter produced;
    private final Counter skipped;
    private final Timer tickDuration;
    private final Timer sendLatency;
    private volatile ClusterExposition cluster;
    private volatile SourceMetrics source;
    private final LongSupplier nanos;
    private final long createdNanos;
    private volatile long lastTickNanos;
    private volatile boolean ticked;
    private volatile long tickLimitMillis = MIN_TICK_LIMIT.toMillis();

    /** Ticks stalled this long (or 5 sampling intervals, whichever is longer) make {@link #stalled} say so. */
    public static final Duration MIN_TICK_LIMIT = Duration.ofSeconds(10);
    /** Time a starting collector has for its first tick (connecting to Kafka, its first scrape). */
    public static final Duration FIRST_TICK_GRACE = Duration.ofSeconds(60);

    public CollectorMetrics() {
        this(System::nanoTime);
    }

    /** With a monotonic clock of its own (tests). */
    public CollectorMetrics(LongSupplier nanos) {
        this.nanos = nanos;
        this.createdNanos = nanos.getAsLong();
        produced = Counter.builder("chipwatch.collector.samples.produced")
                .description("Samples the simulator produced for this collector's chips").register(registry);
        skipped = Counter.builder("chipwatch.collector.ticks.skipped")
                .description("Ticks skipped because the previous one ended too late").register(registry);
        tickDuration = Timer.builder("chipwatch.collector.tick.duration")
                .description("Time to produce one tick and hand it to the send buffer")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        sendLatency = Timer.builder("chipwatch.collector.send.latency")
                .description("Time from handing a sample to the Kafka producer to the broker's acknowledgement")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120)).register(registry);
    }

    /** Registers the counters the publisher and the buffer keep. */
    public void bind(KafkaSamplePublisher publisher, SampleBuffer buffer) {
        FunctionCounter.builder("chipwatch.collector.samples.sent", publisher, KafkaSamplePublisher::sent)
                .description("Samples the Kafka producer accepted").register(registry);
        FunctionCounter.builder("chipwatch.collector.samples.acknowledged", publisher, KafkaSamplePublisher::acknowledged)
                .description("Samples the broker acknowledged").register(registry);
        FunctionCounter.builder("chipwatch.collector.samples.failed", publisher, KafkaSamplePublisher::failed)
                .description("Samples the producer refused or failed to deliver").register(registry);
        FunctionCounter.builder("chipwatch.collector.samples.dropped", buffer, SampleBuffer::dropped)
                .description("Samples dropped because the send buffer was full (Kafka too slow or away)")
                .register(registry);
        Gauge.builder("chipwatch.collector.buffer.samples", buffer, SampleBuffer::buffered)
                .description("Samples waiting in the send buffer").register(registry);
        Gauge.builder("chipwatch.collector.buffer.capacity.samples", buffer, SampleBuffer::capacity)
                .description("Capacity of the send buffer").register(registry);
    }

    /** Registers the ground-truth publisher's counters. */
    public void bind(FaultTruthPublisher truth) {
        FunctionCounter.builder("chipwatch.collector.truth.events.acknowledged", truth, FaultTruthPublisher::acknowledged)
                .description("Fault ground-truth events the broker acknowledged").register(registry);
        FunctionCounter.builder("chipwatch.collector.truth.events.failed", truth, FaultTruthPublisher::failed)
                .description("Fault ground-truth events that could not be published").register(registry);
    }

    /** Registers the simulator: its active faults, and its chips' series in the scrape. */
    public void bind(ClusterSimulator simulator) {
        expectTicksEvery(Duration.ofMillis(simulator.config().sampleIntervalMillis()));
        Gauge.builder("chipwatch.collector.faults.active", simulator,
                        s -> s.faults().stream().filter(f -> f.state() == FaultStatus.State.ACTIVE).count())
                .description("Faults active now").register(registry);
        Gauge.builder("chipwatch.collector.chips", simulator, s -> s.shardTo() - s.shardFrom())
                .description("Chips this collector samples").register(registry);
        cluster = new ClusterExposition(simulator);
    }

    /** Registers a real source's self-metrics (instead of a simulator): its series follow the health in the scrape. */
    public SourceMetrics bindSource() {
        SourceMetrics m = new SourceMetrics(registry);
        source = m;
        return m;
    }

    /** Registers the sampler's wall-clock step count and lead. */
    public void bind(RealTimeSampler sampler) {
        FunctionCounter.builder("chipwatch.collector.wall.clock.steps", sampler, RealTimeSampler::wallClockSteps)
                .description("Steps of the wall clock (either way) the sampler saw; its schedule is monotonic")
                .register(registry);
        Gauge.builder("chipwatch.collector.wall.clock.lead.seconds", sampler, s -> s.wallClockLeadMillis() / 1000.0)
                .description("How far sample timestamps run ahead of the wall clock after it stepped back")
                .register(registry);
    }

    /** Ticks are expected every {@code interval}: stalled after 5 of them without one (at least 10 s). */
    public void expectTicksEvery(Duration interval) {
        tickLimitMillis = Math.max(MIN_TICK_LIMIT.toMillis(), 5 * interval.toMillis());
    }

    /**
     * Why the collector is not sampling, for {@code /healthz}: no tick for the limit of {@link #expectTicksEvery}
     * (a stalled sampler, a send buffer that stays full), or none yet {@link #FIRST_TICK_GRACE} after the start;
     * empty while it ticks.
     */
    public Optional<String> stalled() {
        long now = nanos.getAsLong();
        if (!ticked) {
            long waited = (now - createdNanos) / 1_000_000;
            return waited < FIRST_TICK_GRACE.toMillis() ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
                    "no tick yet, %.0f s after the start (limit %d s)", waited / 1000.0,
                    FIRST_TICK_GRACE.toSeconds()));
        }
        long age = (now - lastTickNanos) / 1_000_000;
        return age < tickLimitMillis ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
                "no tick for %.1f s (limit %.1f s)", age / 1000.0, tickLimitMillis / 1000.0));
    }

    /** Called after every tick. */
    public void onTick(int samples, long durationNanos, long skippedTicks) {
        lastTickNanos = nanos.getAsLong();
        ticked = true;
        produced.increment(samples);
        tickDuration.record(durationNanos, TimeUnit.NANOSECONDS);
        if (skippedTicks > 0) {
            skipped.increment(skippedTicks);
        }
    }

    /** For {@link KafkaSamplePublisher.Builder#sendLatencyListener}. */
    public void recordSendLatency(long nanos) {
        sendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Also writes these meters to InfluxDB every {@link SelfMetricsTarget#step()}, tagged {@code service=collector}
     * and {@code instance} (the shard, when the cluster is split among collectors).
     *
     * @return what stops the writing (after a last write)
     */
    public AutoCloseable pushTo(SelfMetricsTarget target, String instance) {
        return InfluxSelfMetrics.pushTo(registry, target, Tags.of("service", "collector", "instance", instance));
    }

    /**
     * One simulated node's series, as that node's own exporter would serve them (no collector health).
     *
     * @return false when this collector simulates no such node (nothing written)
     */
    public boolean scrapeNode(OutputStream out, String node) throws IOException {
        ClusterExposition c = cluster;
        return c != null && c.writeNode(out, node) >= 0;
    }

    /** The simulated nodes as a Prometheus file_sd list of per-node targets at {@code address}; "[]" without a simulator. */
    public String fileSd(String address) {
        ClusterExposition c = cluster;
        return c == null ? "[]\n" : c.fileSd(address);
    }

    /** The whole exposition: the collector's health, then the cluster's series. */
    public void scrape(OutputStream out) throws IOException {
        out.write(prometheus.scrape().getBytes(StandardCharsets.UTF_8));
        ClusterExposition c = cluster;
        if (c != null) {
            c.writeTo(out);
        }
        SourceMetrics m = source;
        if (m != null) {
            m.writeTo(out);
        }
    }
}
