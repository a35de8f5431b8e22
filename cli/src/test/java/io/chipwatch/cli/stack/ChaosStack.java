package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.WebhookRecorder.Paged;
import io.chipwatch.cli.stack.supervise.ComponentStatus;
import io.chipwatch.cli.stack.supervise.SupervisorProcess;
import io.chipwatch.cli.stack.supervise.SupervisorState;
import io.chipwatch.infra.ChipwatchHome;
import io.chipwatch.infra.LocalAlertmanager;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.influxdb.dto.QueryResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the chaos ITs share: the real local stack (80 chips, a perfect transport) under its real supervisor, a
 * webhook receiver recording every alert paged through the local Alertmanager, {@code kill -9} of one component
 * followed by its recovery (with, optionally, a real fault injected while it is down: {@link ChaosFaults}), and the
 * exact count of the samples per chip and window in the {@code chip} aggregates against the records of the samples
 * topic.
 */
final class ChaosStack implements AutoCloseable {
    static final int CHIPS = 80;
    static final long WINDOW_MS = 10_000;
    /** The alerts the telemetry path raises about itself. */
    static final Set<String> TELEMETRY_ALERTS = Set.of("TelemetrySilent", "PipelineDegraded");

    /** How long an injected fault lasts: longer than any run, so none ends (and resolves) by itself. */
    static final Duration FAULT_DURATION = Duration.ofMinutes(10);

    /** What runs right after a kill, while the component is down (before the supervisor's restart is done). */
    @FunctionalInterface
    interface WhileDown {
        void run() throws Exception;
    }

    private final List<Paged> pages;
    private final WebhookRecorder webhook;
    private final LocalStack stack;
    private final StackState state;
    private final ChaosFaults faults;

    private ChaosStack(List<Paged> pages, WebhookRecorder webhook, LocalStack stack, StackState state) {
        this.pages = pages;
        this.webhook = webhook;
        this.stack = stack;
        this.state = state;
        this.faults = new ChaosFaults(this::collectorUrl, pages);
    }

    /** The collector's address as the stack's state records it now. */
    private String collectorUrl() {
        try {
            return LocalStack.url(stack.state(), LocalStack.COLLECTOR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the stack in {@code var} and its supervisor, and waits until every chip is in InfluxDB. */
    static ChaosStack up(Path var) throws Exception {
        WebhookRecorder webhook = WebhookRecorder.start();
        List<Paged> pages = webhook.pages();
        LocalStack stack = new LocalStack(new StackLayout(ChipwatchHome.root(), var),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        // A perfect transport: the exact counts compare the aggregates with the records in Kafka, and the simulated
        // transport's duplicates and seconds-late samples are (rightly) not in the aggregates once each.
        Path scenario = var.resolve("chaos-scenario.yaml");
        Files.writeString(scenario, "name: chaos\nduration: 1h\nimperfections:\n  transport: false\n");
        UpOptions options = new UpOptions(CHIPS, 5, scenario,
                List.of("chaos=" + webhook.url()));
        ChaosStack chaos = new ChaosStack(pages, webhook, stack, new StackState());
        try {
            chaos = new ChaosStack(pages, webhook, stack, stack.up(options));
            stack.supervise(options);
            try (InfluxQueries influx = chaos.influx()) {
                await("every chip in InfluxDB", Duration.ofSeconds(90), () -> influx.chipsReporting() == CHIPS,
                        () -> "");
            }
        } catch (Exception | AssertionError e) {
            chaos.close();
            throw e;
        }
        return chaos;
    }

    LocalStack stack() {
        return stack;
    }

    List<Paged> pages() {
        return pages;
    }

    /** The faults injected, and the check of the chip and node pages against them. */
    ChaosFaults faults() {
        return faults;
    }

    InfluxQueries influx() {
        return new InfluxQueries(LocalStack.url(state, LocalStack.INFLUXDB), LocalStack.DATABASE);
    }

    /**
     * Each telemetry-path alert paged ({@code alertname/entity@fingerprint}) with the statuses it was paged with,
     * repeats of the same status in a row left out (a group change repeats its firing alerts).
     */
    Map<String, List<String>> telemetryAlerts() {
        Map<String, List<String>> alerts = new TreeMap<>();
        for (Paged p : pages) {
            if (TELEMETRY_ALERTS.contains(p.alertname())) {
                List<String> statuses = alerts.computeIfAbsent(p.alertname() + "/" + p.entity() + "@"
                        + p.fingerprint(), k -> new ArrayList<>());
                if (statuses.isEmpty() || !statuses.get(statuses.size() - 1).equals(p.status())) {
                    statuses.add(p.status());
                }
            }
        }
        return alerts;
    }

    /** The telemetry-path alerts naming {@code entity}, as {@link #telemetryAlerts}. */
    List<Map.Entry<String, List<String>>> alertsNaming(String entity) {
        return telemetryAlerts().entrySet().stream()
                .filter(e -> e.getKey().substring(e.getKey().indexOf('/') + 1).startsWith(entity + "@")).toList();
    }

    /** The entity an alert key of {@link #telemetryAlerts} names. */
    static String entity(String key) {
        return key.substring(key.indexOf('/') + 1, key.indexOf('@'));
    }

    /** Whether a telemetry-path alert naming {@code entity} was paged resolved. */
    boolean resolvedPaged(String entity) {
        return pages.stream().anyMatch(p -> TELEMETRY_ALERTS.contains(p.alertname()) && p.entity().equals(entity)
                && p.status().equals("resolved"));
    }

    /**
     * {@code kill -9} of the component's process; then the supervisor restarts it and counts it
     * ({@code restarts} in its state, a new pid) within {@code bound}, and an alert naming it is paged and resolved
     * within {@code alertBound} after that.
     */
    void killAndAwaitRecovery(String component, Duration bound, Duration alertBound) throws Exception {
        killAndAwaitRecovery(component, bound, alertBound, () -> { });
    }

    /**
     * As {@link #killAndAwaitRecovery(String, Duration, Duration)}, running {@code whileDown} right after the
     * process is gone (the supervisor restarts it after a backoff of about a second, and its start takes seconds
     * more).
     */
    void killAndAwaitRecovery(String component, Duration bound, Duration alertBound, WhileDown whileDown)
            throws Exception {
        int before = restarts(component);
        long pid = stack.state().pids.get(component);
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);
        whileDown.run();
        await(component + " restarted by the supervisor", bound, () -> {
            ComponentStatus s = supervisorState().components().get(component);
            return s != null && s.restarts() == before + 1 && ComponentStatus.UP.equals(s.state());
        }, () -> supervisorState().components());
        long restarted = stack.state().pids.get(component);
        assertThat(restarted).isNotEqualTo(pid);
        assertThat(stack.alive(stack.state(), component)).isTrue();
        await(component + "'s alert paged and resolved", alertBound, () -> resolvedPaged(component),
                this::telemetryAlerts);
    }

    /**
     * {@code kill -9} of the component, a fault of {@code type} injected on a random busy chip while it is down
     * (it starts before the restarted component is ready: its onset is before the supervisor's
     * {@code lastRestartAt}), then the recovery of {@link #killAndAwaitRecovery(String, Duration, Duration)}.
     */
    ChaosFaults.Injected killInjectAndAwaitRecovery(String component, String type, Duration bound,
                                                    Duration alertBound) throws Exception {
        ChaosFaults.Injected[] fault = new ChaosFaults.Injected[1];
        killAndAwaitRecovery(component, bound, alertBound,
                () -> fault[0] = faults.inject(type, "random-busy-chip", FAULT_DURATION));
        Long ready = supervisorState().components().get(component).lastRestartAt();
        assertThat(fault[0].onsetMillis()).as("%s began before the restarted %s was ready (at %s)", fault[0],
                component, ready).isLessThan(ready);
        return fault[0];
    }

    /**
     * Waits until Alertmanager's notification log on disk was written after {@code millis} (it is every
     * {@link LocalAlertmanager#MAINTENANCE_INTERVAL}): killed after that, it must not page again what it paged before.
     */
    void awaitAlertmanagerLogWrittenAfter(long millis) throws InterruptedException {
        Path nflog = LocalAlertmanager.notificationLog(stack.layout().data(LocalStack.ALERTMANAGER));
        await("Alertmanager's notification log written", Duration.ofSeconds(30), () -> {
            try {
                return Files.getLastModifiedTime(nflog).toMillis() > millis;
            } catch (IOException e) {
                return false;
            }
        }, () -> nflog);
    }

    private int restarts(String component) {
        ComponentStatus s = supervisorState().components().get(component);
        return s == null ? 0 : s.restarts();
    }

    SupervisorState supervisorState() {
        try {
            return SupervisorState.load(SupervisorState.file(stack.layout()));
        } catch (IOException e) {
            return new SupervisorState(null, null, Map.of());
        }
    }

    /**
     * Asserts that from {@code from} to the last complete window every chip's aggregates count exactly the records
     * of the samples topic (nothing lost, nothing counted twice). A chip an injected {@code chip_down} silenced
     * simply has fewer records, and no point for a window without any (neither side counts it); every chip still
     * has records since {@code from}, as the faults are injected after it.
     */
    void assertExactCounts(long from) throws Exception {
        long to = System.currentTimeMillis() / WINDOW_MS * WINDOW_MS;
        Set<String> down = faults.downChips();
        try (InfluxQueries influx = influx()) {
            await("window " + to + " of every chip but the " + down + " down written", Duration.ofSeconds(60),
                    () -> samplesPerWindow(influx, to, to + WINDOW_MS).size() == CHIPS - down.size(), () -> "");
            Map<String, Map<Long, Long>> written = samplesPerWindow(influx, from, to);
            Map<String, Map<Long, Long>> produced = producedPerWindow(stack.state(), from, to);
            assertThat(produced).as("chips with records since %s", from).hasSize(CHIPS);
            assertThat(written).as("samples per chip and window: aggregates vs records in Kafka").isEqualTo(produced);
        }
    }

    /**
     * The collector (not restarted meanwhile) lost no sample: none dropped from its send buffer, none failed in its
     * producer ({@code /metrics}); with {@link #assertExactCounts} every sample produced is in the aggregates once.
     */
    void assertCollectorLostNothing() throws IOException, InterruptedException {
        String url = LocalStack.url(stack.state(), LocalStack.COLLECTOR) + "/metrics";
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String counter : List.of("chipwatch_collector_samples_dropped_total",
                "chipwatch_collector_samples_failed_total")) {
            assertThat(metrics.lines().filter(l -> l.startsWith(counter + " ")).toList()).as(counter)
                    .containsExactly(counter + " 0.0");
        }
    }

    /** Waits until every telemetry-path alert paged has been paged resolved last. */
    void awaitTelemetryAlertsResolved(Duration bound) throws InterruptedException {
        await("every telemetry-path alert resolved", bound, () -> telemetryAlerts().values().stream()
                .allMatch(statuses -> statuses.get(statuses.size() - 1).equals("resolved")), this::telemetryAlerts);
    }

    /** Asserts exactly one telemetry-path alert naming {@code entity}, paged firing then resolved. */
    void assertOneAlertNaming(String entity) {
        assertThat(alertsNaming(entity)).as("%s: one alert, raised once then resolved; pages %s", entity, pages)
                .singleElement().extracting(Map.Entry::getValue).isEqualTo(List.of("firing", "resolved"));
    }

    /** The {@code samples} field of every {@code chip} point with a window start in [from, to) (ClusterChaosIT too). */
    static Map<String, Map<Long, Long>> samplesPerWindow(InfluxQueries influx, long from, long to) {
        QueryResult r = influx.query("SELECT \"samples\" FROM \"chip\" WHERE time >= " + from + "ms AND time < " + to
                + "ms GROUP BY \"chip\"", TimeUnit.MILLISECONDS);
        Map<String, Map<Long, Long>> samples = new TreeMap<>();
        QueryResult.Result first = r.getResults().get(0);
        if (first.getSeries() == null) {
            return samples;
        }
        for (QueryResult.Series s : first.getSeries()) {
            Map<Long, Long> windows = samples.computeIfAbsent(s.getTags().get("chip"), k -> new TreeMap<>());
            for (List<Object> row : s.getValues()) {
                windows.put(((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue());
            }
        }
        return samples;
    }

    /** The records of the samples topic per chip and window start in [from, to): what reached Kafka. */
    private static Map<String, Map<Long, Long>> producedPerWindow(StackState state, long from, long to)
            throws Exception {
        Properties p = new Properties();
        // The stack's Kafka authenticates: read as the CLI's principal.
        p.putAll(LocalStack.kafkaAdminSettings(state));
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.url(state, LocalStack.KAFKA));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Map<Long, Long>> produced = new TreeMap<>();
        ChipSampleCodec codec = new ChipSampleCodec();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(LocalStack.SAMPLES_TOPIC).forEach(i ->
                    partitions.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    ChipSample sample = codec.decode(record.value());
                    long window = sample.timestampMillis() / WINDOW_MS * WINDOW_MS;
                    if (window >= from && window < to) {
                        produced.computeIfAbsent(sample.chip(), k -> new TreeMap<>()).merge(window, 1L, Long::sum);
                    }
                }
            }
        }
        return produced;
    }

    /** Waits for {@code done}; fails after {@code bound}, with what {@code seen} says. */
    static void await(String what, Duration bound, BooleanSupplier done, Supplier<Object> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + bound.toSeconds() + " s; seen: " + seen.get());
            }
            Thread.sleep(500);
        }
    }

    /** {@code down}, then the webhook stops; the supervisor must be gone. */
    @Override
    public void close() throws IOException {
        try {
            stack.down(false);
        } finally {
            webhook.close();
        }
        assertThat(SupervisorProcess.running(stack.layout())).as("supervisor after down").isEmpty();
    }
}
