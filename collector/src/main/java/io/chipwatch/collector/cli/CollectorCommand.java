package io.chipwatch.collector.cli;

import io.chipwatch.collector.control.ControlAccess;
import io.chipwatch.collector.control.ControlServer;
import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.publish.FaultTruthPublisher;
import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.publish.SampleBuffer;
import io.chipwatch.collector.runtime.RealTimeSampler;
import io.chipwatch.collector.scenario.Scenario;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code collector}: the long-running process of the local stack. Simulates the cluster in real time (one tick
 * per interval, on the wall-clock boundary) and publishes every sample to Kafka; logs a summary every 10 s.
 * Stops cleanly on SIGTERM or Ctrl-C: the tick in progress completes and the producer is flushed.
 *
 * <p>The sampling loop never waits for Kafka: samples go through a bounded {@link SampleBuffer} (dropped and
 * counted when it is full) to a sender thread. Fault onsets and ends go to the ground-truth topic. An HTTP
 * server on {@code --metrics-port} serves {@code /metrics} (Prometheus) and {@code /faults} (live fault
 * injection, see {@link ControlServer}). {@code --shard I/N} samples one slice of the cluster, so that N
 * collectors share it. {@code --source prometheus --targets FILE} (or {@code --source nvidia-smi}) reads a real fleet
 * instead ({@link RealSourceRun}, {@link SourceOptions}), through the same publisher.
 */
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = "Simulate the cluster in real time, or read a real fleet (--source prometheus|nvidia-smi), and "
                + "publish its samples to Kafka.")
public final class CollectorCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorCommand.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,…]",
            description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = KafkaClientSecurity.OPTION, paramLabel = "FILE",
            description = "Kafka credentials file (SASL/SCRAM; the local stack's kafka-collector.properties);"
                    + " without it, PLAINTEXT.")
    Path kafkaCredentials;

    @Option(names = "--topic", defaultValue = "chip-samples", description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    SourceOptions sources;

    @Mixin
    SelfMetricsOptions selfMetrics;

    @Option(names = "--kafka-wait", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to wait at start for the broker and topic before sampling anyway (default: ${DEFAULT-VALUE}).")
    Duration kafkaWait;

    @Option(names = {"-P", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka producer property; overrides the collector's default. Repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--scenario-start-ms", paramLabel = "EPOCH_MS",
            description = "Instant the scenario's offsets count from (default: the first tick). Give all shards the same.")
    Long scenarioStartMillis;

    @Option(names = "--metrics-port", defaultValue = "9400",
            description = "Port of the HTTP endpoint serving /metrics and /faults; 0 = any free port, -1 = none "
                    + "(default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1",
            description = "Address the HTTP endpoint binds (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Bearer token every /faults call must carry, generated here (mode 600) on the first start "
                    + "(default: $XDG_CONFIG_HOME/chipwatch/collector-token, else ~/.config/chipwatch/collector-token).")
    Path tokenFile;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "A Host name the HTTP endpoint answers to besides localhost, 127.0.0.1, ::1 and --metrics-host "
                    + "(e.g. a compose service name); others get 421. Repeatable.")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--truth-topic", defaultValue = FaultTruthPublisher.DEFAULT_TOPIC,
            description = "Topic for fault ground truth (created when missing); empty = do not publish "
                    + "(default: ${DEFAULT-VALUE}).")
    String truthTopic;

    @Option(names = "--buffer-samples", paramLabel = "N",
            description = "Samples the send buffer holds while Kafka is away before dropping (default: sixty ticks "
                    + "of this shard, at least 100,000, at most 40% of the heap at ~420 bytes a sample: a broker "
                    + "restart by the supervisor loses nothing).")
    Long bufferSamples;

    @Mixin
    StateFileOptions state;

    /**
     * Two ticks dropped 10,000 samples of a 10,000-chip cluster while the producer fetched metadata at start; ten
     * held a few seconds of samples (tens of MB at 10,000 chips). The sender waits for Kafka while it is away
     * ({@link KafkaSamplePublisher#publishWaiting}), so the buffer is what a broker outage may last without losing
     * samples: sixty ticks (a minute at 1 Hz, a few hundred MB at 10,000 chips) cover a restart of the broker by the
     * supervisor and still bound memory when Kafka stays away.
     */
    static final long DEFAULT_BUFFER_TICKS = 60;
    /** The least the default buffer holds, for small clusters (a few MB). */
    static final long MIN_BUFFER_SAMPLES = 100_000;
    /**
     * Heap one held sample takes, measured: 60 ticks of 10,000 simulated chips (600,304 samples) held 243 MB, 405
     * bytes each (docs/SELF-MONITORING.md).
     */
    static final long HELD_SAMPLE_BYTES = 420;

    /**
     * The default send buffer: sixty ticks of the shard, but never more than 40 % of the heap (the producer's own
     * buffer, 128 MB, and the simulator need the rest): at 100,000 chips in one collector sixty ticks would be 2.5 GB.
     */
    static long defaultBufferSamples(long shardChips, long maxHeapBytes) {
        long byHeap = maxHeapBytes * 2 / 5 / HELD_SAMPLE_BYTES;
        long capacity = Math.max(MIN_BUFFER_SAMPLES, Math.min(DEFAULT_BUFFER_TICKS * shardChips, byHeap));
        if (capacity < DEFAULT_BUFFER_TICKS * shardChips) {
            LOG.info("send buffer: {} samples ({} ticks of this shard), bounded by the heap ({} MB); a larger -Xmx "
                    + "holds a longer Kafka outage", capacity, capacity / Math.max(shardChips, 1),
                    maxHeapBytes / 1_000_000);
        }
        return capacity;
    }

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ControlServer server;
    private volatile RealTimeSampler sampler;
    private volatile RealSourceRun realSource;
    private volatile boolean stopRequested;

    /** Real sources' default send buffer: ten 1 Hz ticks of a 10,000-chip fleet. */
    static final long DEFAULT_REAL_BUFFER_SAMPLES = 100_000;

    @Override
    public Integer call() throws Exception {
        if (sources.real()) {
            return callRealSource();
        }
        Scenario sc = cluster.loadScenario();
        SimulationConfig config;
        ClusterSimulator simulator;
        try {
            SimulationConfig.Builder b = cluster.builder(sc);
            long interval = b.build().sampleIntervalMillis();
            config = b.startMillis(RealTimeSampler.alignUp(System.currentTimeMillis(), interval))
                    .build();
            long buildStart = System.nanoTime();
            simulator = new ClusterSimulator(config);
            LOG.info("cluster built in {} ms: {} chips ({} in shard {}), {} nodes, {} racks, {} pods, {} jobs",
                    millisSince(buildStart), config.chips(), simulator.shardTo() - simulator.shardFrom(), cluster.shard,
                    simulator.topology().chipsByNode().size(), simulator.topology().chipsByRack().size(),
                    simulator.topology().chipsByPod().size(), simulator.jobs().size());
            long scenarioStart = scenarioStartMillis != null ? scenarioStartMillis : config.startMillis();
            simulator.faultIdPrefix("f" + Long.toString(scenarioStart / 1000, 36)
                    + (cluster.shard.count() > 1 ? "s" + cluster.shard.index() : "") + "-");
            state.resume(simulator);
            if (sc != null) {
                sc.applyTo(simulator, scenarioStart);
                LOG.info("scenario {}: {} fault(s), {} job event(s) from {}", sc.name(), sc.faults().size(),
                        sc.events().size(), scenarioStart);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Thread hook = new Thread(this::stopAndAwait, "collector-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CollectorMetrics metrics = new CollectorMetrics();
        metrics.bind(simulator);
        AutoCloseable pushed = selfMetrics.start(metrics, cluster.shard.toString(), spec);
        FaultTruthPublisher truth = truthTopic.isBlank() ? null : new FaultTruthPublisher(bootstrap, kafkaCredentials,
                truthTopic);
        if (truth != null) {
            simulator.faultListener(truth);
            metrics.bind(truth);
        }
        try (KafkaSamplePublisher publisher = KafkaSamplePublisher.builder().bootstrapServers(bootstrap).topic(topic)
                .credentials(kafkaCredentials).producerProperties(producerProperties).sendLatencyListener(metrics::recordSendLatency).build()) {
            long capacity = bufferSamples != null ? bufferSamples
                    : defaultBufferSamples(simulator.shardTo() - simulator.shardFrom(), Runtime.getRuntime().maxMemory());
            SampleBuffer buffer = new SampleBuffer(publisher::publishWaiting, capacity);
            metrics.bind(publisher, buffer);
            try {
                if (metricsPort >= 0) {
                    try {
                        server = new ControlServer(metricsHost, metricsPort, ControlAccess.fromFile(tokenFile != null
                                ? tokenFile : SecretFile.defaultPath(SecretFile.COLLECTOR_TOKEN), allowedHosts),
                                simulator, metrics);
                    } catch (UncheckedIOException | IllegalStateException e) {
                        LOG.error("no token for /faults: {}", e.getMessage());
                        spec.commandLine().getErr().println("collector: " + e.getMessage() + " (use --token-file)");
                        return 1;
                    } catch (IOException e) {
                        LOG.error("cannot serve /metrics and /faults on {}:{}: {}", metricsHost, metricsPort, e.toString());
                        spec.commandLine().getErr().println("collector: cannot bind " + metricsHost + ":" + metricsPort
                                + " for /metrics and /faults: " + e.getMessage() + " (use --metrics-port)");
                        return 1;
                    }
                    sources.writeFileSd(metrics, server.url());
                }
                run(config, simulator, publisher, buffer, metrics);
            } finally {
                LOG.info("stopping: draining the send buffer ({} samples) and flushing the producer ({} sent, "
                                + "{} acknowledged, {} failed, {} dropped so far)", buffer.buffered(), publisher.sent(),
                        publisher.acknowledged(), publisher.failed(), buffer.dropped());
                buffer.close(CLOSE_TIMEOUT.toMillis());
                publisher.close(CLOSE_TIMEOUT);
                if (truth != null) {
                    truth.close(CLOSE_TIMEOUT);
                }
                ControlServer srv = server;
                if (srv != null) {
                    srv.close();
                }
                LOG.info("stopped: {} sent, {} acknowledged, {} failed, {} dropped", publisher.sent(),
                        publisher.acknowledged(), publisher.failed(), buffer.dropped());
            }
        } finally {
            pushed.close();
            stopped.countDown();
            removeHook(hook);
        }
        return 0;
    }

    /** The bound control endpoint's base URL (e.g. {@code http://127.0.0.1:9400}), or null before it is up. */
    public String controlUrl() {
        ControlServer s = server;
        RealSourceRun r = realSource;
        return s != null ? s.url() : r != null ? r.url() : null;
    }

    /** {@code --source prometheus|nvidia-smi}: the same publishing path, a real source instead of the simulator. */
    private int callRealSource() throws Exception {
        RealSourceRun run;
        try {
            run = new RealSourceRun(new RealSourceRun.Settings(sources, cluster.intervalMillis, bootstrap,
                    kafkaCredentials, metricsHost, metricsPort, allowedHosts), System.in);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        realSource = run;
        Thread hook = new Thread(this::stopAndAwait, "collector-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CollectorMetrics metrics = new CollectorMetrics();
        AutoCloseable pushed = selfMetrics.start(metrics, cluster.shard.toString(), spec);
        try (KafkaSamplePublisher publisher = KafkaSamplePublisher.builder().bootstrapServers(bootstrap).topic(topic)
                .credentials(kafkaCredentials).producerProperties(producerProperties).sendLatencyListener(metrics::recordSendLatency).build()) {
            SampleBuffer buffer = new SampleBuffer(publisher::publishWaiting, bufferSamples != null ? bufferSamples
                    : DEFAULT_REAL_BUFFER_SAMPLES);
            metrics.bind(publisher, buffer);
            try {
                if (!awaitKafka(publisher) && !stopRequested) {
                    LOG.warn("topic {} at {} not ready after {}; reading the source anyway", topic, bootstrap, kafkaWait);
                }
                if (!stopRequested) {
                    run.run(publisher, buffer, metrics);
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println("collector: cannot bind " + metricsHost + ":" + metricsPort
                        + " for /metrics: " + e.getMessage() + " (use --metrics-port)");
                return 1;
            } finally {
                buffer.close(CLOSE_TIMEOUT.toMillis());
                publisher.close(CLOSE_TIMEOUT);
                LOG.info("stopped: {} sent, {} acknowledged, {} failed, {} dropped", publisher.sent(),
                        publisher.acknowledged(), publisher.failed(), buffer.dropped());
            }
        } finally {
            pushed.close();
            stopped.countDown();
            removeHook(hook);
        }
        return 0;
    }

    private void run(SimulationConfig config, ClusterSimulator simulator, KafkaSamplePublisher publisher,
                     SampleBuffer buffer, CollectorMetrics metrics) throws InterruptedException {
        LOG.info("collector starting: {} chips, seed {}, every {} ms, to topic {} at {}", config.chips(),
                config.seed(), config.sampleIntervalMillis(), topic, bootstrap);
        if (stopRequested) {
            return;
        }
        if (!awaitKafka(publisher)) {
            if (stopRequested) {
                return;
            }
            // Sample anyway: the broker may come later, and until then failures are counted and logged.
            LOG.warn("topic {} at {} not available after {}; sampling anyway", topic, bootstrap, kafkaWait);
        }
        TickSummary summary = new TickSummary(simulator.shardTo() - simulator.shardFrom(), publisher, buffer);
        long[] produced = new long[1];
        RealTimeSampler s = new RealTimeSampler(simulator, sample -> {
            produced[0]++;
            buffer.accept(sample);
        }, (ts, nanos, skipped) -> {
            state.afterTick(simulator);
            buffer.endTick();
            metrics.onTick((int) produced[0], nanos, skipped);
            produced[0] = 0;
            summary.onTick(nanos, skipped);
        });
        metrics.bind(s);
        sampler = s;
        if (stopRequested) {
            return;
        }
        s.run();
        state.atStop(simulator);
    }

    /** Waits for the topic in short slices, so that a stop request during a long wait is honoured promptly. */
    private boolean awaitKafka(KafkaSamplePublisher publisher) throws InterruptedException {
        long deadline = System.nanoTime() + kafkaWait.toNanos();
        while (!stopRequested) {
            if (publisher.awaitReady(Duration.ofSeconds(1))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
        }
        return false;
    }

    /** Asks a running {@link #call()} to finish its tick, flush the producer and return; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
        RealTimeSampler s = sampler;
        if (s != null) {
            s.stop();
        }
        RealSourceRun r = realSource;
        if (r != null) {
            r.stop();
        }
    }

    /** The shutdown hook: stop sampling, then wait until the producer is flushed and closed. */
    private void stopAndAwait() {
        requestStop();
        try {
            if (!stopped.await(CLOSE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                LOG.warn("collector did not stop in time; exiting anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is the one that stopped us.
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
