package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.cli.stack.WebhookRecorder.Paged;
import io.chipwatch.cli.stack.supervise.SupervisorProcess;
import io.chipwatch.infra.ChipwatchHome;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code up --cluster} on real processes (3 KRaft brokers, a Flink session cluster of one JobManager and two
 * TaskManagers, the jobs submitted through REST) under the simulator's load: {@code kill -9} of one broker, then of
 * one TaskManager. The jobs run again within 30 s of the TaskManager's loss; every sample that reached Kafka is in
 * the {@code chip} aggregates exactly once (per chip and window); the injected overheat is on the anomalies topic and
 * every telemetry-path anomaly opened there is closed (repeats of an id are allowed: alerting drops them); the
 * overheat and each killed member (the
 * supervisor's telemetry_silent) are paged as one alert each; the supervisor brings both members back.
 */
class ClusterChaosIT {
    private static final int CHIPS = 32;
    private static final long WINDOW_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private List<Paged> pages = List.of();

    @Test
    void aKilledBrokerAndAKilledTaskManagerLoseNothing(@TempDir Path var) throws Exception {
        WebhookRecorder webhook = WebhookRecorder.start();
        pages = webhook.pages();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(ChipwatchHome.root(), var),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        // A perfect transport (exact counts against the records in Kafka) and one overheating chip.
        Path scenario = var.resolve("cluster-scenario.yaml");
        Files.writeString(scenario, "name: cluster-chaos\nduration: 1h\nimperfections:\n  transport: false\n"
                + "faults:\n  - {type: overheat, target: random-busy-chip, at: 20s, duration: 30m}\n");
        UpOptions options = new UpOptions(CHIPS, 11, scenario,
                List.of("chaos=" + webhook.url()), null, new ClusterSize(3, 2));
        long t0 = System.nanoTime();
        String[] killedTm = {"taskmanager-1"};
        try {
            StackState state;
            try {
                state = stack.up(options);
            } catch (IllegalStateException e) {
                // On a machine shared with other work a component may miss its readiness bound; up is idempotent,
                // as a user would, run it again (it starts only what does not run).
                System.out.println("up again after: " + e.getMessage());
                state = stack.up(options);
            }
            System.out.printf("cluster stack up in %.1f s%n%s%n", (System.nanoTime() - t0) / 1e9, out);
            try {
                stack.supervise(options);
            } catch (IllegalStateException e) {
                // Its 30 s start bound can pass on a loaded machine; the process goes on starting.
                System.out.println("supervisor slow to start: " + e.getMessage());
                await("the supervisor runs", Duration.ofSeconds(90),
                        () -> SupervisorProcess.running(stack.layout()).isPresent(), () -> "");
            }
            for (String member : List.of("kafka-1", "kafka-2", "kafka-3", "jobmanager", "taskmanager-1",
                    "taskmanager-2", LocalStack.FLINK, LocalStack.DETECTION)) {
                assertThat(stack.alive(state, member)).as(member).isTrue();
            }
            assertThat(ClusterStatus.brokers(stack, state, b -> true)).containsOnlyKeys("kafka-1", "kafka-2", "kafka-3")
                    .doesNotContainValue(false);
            assertThat(ClusterStatus.flink(stack, state)).doesNotContainValue(false);
            String jm = LocalStack.url(state, ClusterComponents.JOBMANAGER);
            try (InfluxQueries influx = new InfluxQueries(LocalStack.url(state, LocalStack.INFLUXDB),
                    LocalStack.DATABASE)) {
                await("every chip in InfluxDB", Duration.ofSeconds(120), () -> influx.chipsReporting() == CHIPS,
                        () -> "");
                // The window under way, before any kill: every chip already has a window written, so this one is
                // after the collector's first, partial window (its first samples may precede the jobs' first read).
                long from = System.currentTimeMillis() / WINDOW_MS * WINDOW_MS;

                ProcessHandle.of(state.pids.get("kafka-2")).orElseThrow().destroyForcibly();
                Thread.sleep(15_000);
                assertThat(fullyRunning(jm)).as("both jobs after the broker's loss").isTrue();

                // The TaskManager that runs the most (the jobs may share one: parallelism 1, 4 slots each).
                String busiest = busiestTaskManager(jm);
                killedTm[0] = busiest;
                long tmPid = stack.state().pids.get(busiest);
                long killed = System.nanoTime();
                ProcessHandle.of(tmPid).orElseThrow().destroyForcibly();
                await("the jobs notice the lost TaskManager", Duration.ofSeconds(25), () -> !fullyRunning(jm),
                        () -> overview(jm));
                await("both jobs running again", Duration.ofSeconds(60), () -> fullyRunning(jm), () -> overview(jm));
                double recovered = (System.nanoTime() - killed) / 1e9;
                System.out.printf("jobs running again %.1f s after the TaskManager's kill%n", recovered);
                assertThat(recovered).as("seconds until both jobs run again").isLessThanOrEqualTo(30);

                long to = System.currentTimeMillis() / WINDOW_MS * WINDOW_MS;
                await("window " + to + " of every chip written", Duration.ofSeconds(90),
                        () -> ChaosStack.samplesPerWindow(influx, to, to + WINDOW_MS).size() == CHIPS, () -> "");
                Map<String, Map<Long, Long>> written = ChaosStack.samplesPerWindow(influx, from, to);
                Map<String, Map<Long, Long>> produced = producedPerWindow(stack.state(), from, to);
                assertThat(produced).hasSize(CHIPS);
                assertThat(written).as("samples per chip and window: aggregates vs records in Kafka")
                        .isEqualTo(produced);
            }
            // The supervisor brings the killed members back on their ports.
            await("kafka-2 and the killed TaskManager restarted by the supervisor", Duration.ofSeconds(180),
                    () -> aliveAll(stack, "kafka-2", killedTm[0]), () -> "");
            // status says up for every member once the restarted ones serve (a TaskManager: registered again).
            await("every member up in status", Duration.ofSeconds(120), () -> allUp(stack), () -> "");
            printResidentMemory(stack.state());
            // The supervisor closes a member's telemetry_silent once it has served again for 15 s: wait for it.
            StackState now = stack.state();
            await("every telemetry_silent closed", Duration.ofSeconds(90), () -> {
                try {
                    Map<String, Integer> seen = anomalies(now);
                    return seen.keySet().stream().filter(k -> k.startsWith("telemetry_silent:") && k.endsWith("/OPEN"))
                            .allMatch(k -> seen.containsKey(k.replace("/OPEN", "/CLOSED")));
                } catch (Exception e) {
                    return false;
                }
            }, () -> "");
            Map<String, Integer> anomalies = anomalies(stack.state());
            assertThat(anomalies.keySet()).as("anomalies").anyMatch(k -> k.startsWith("overheat:") && k.endsWith("/OPEN"));
            // No anomaly lost: each telemetry-path alert the supervisor opened was closed again. Anomalies are
            // idempotent facts with deterministic ids (a producer retry while a broker dies may write one twice, as
            // seen in CI for kafka-2's OPEN); alerting drops the repeats, which the one-page checks below prove.
            assertThat(anomalies.keySet()).as("anomalies").filteredOn(k -> k.startsWith("telemetry_silent:")
                    && k.endsWith("/OPEN")).isNotEmpty().allSatisfy(k -> assertThat(anomalies)
                    .as("closed: %s", k).containsKey(k.replace("/OPEN", "/CLOSED")));
            // Every fault injected is paged once: the overheat, and each killed member (the supervisor's alert).
            for (String alert : List.of("ChipOverheating", "TelemetrySilent@kafka-2", "TelemetrySilent@" + killedTm[0])) {
                await(alert + " paged", Duration.ofSeconds(60), () -> !fingerprints(alert).isEmpty(), () -> pages);
                assertThat(fingerprints(alert)).as("%s: one alert; pages %s", alert, pages).hasSize(1);
            }
        } finally {
            webhook.close();
            Path supervisorLog = stack.layout().log("supervisor");
            if (Files.exists(supervisorLog)) {
                System.out.println("supervisor log:\n" + Files.readString(supervisorLog));
            }
            stack.down(false);
            System.out.println(out);
            // Anything of this stack's folder still running (a supervisor that never recorded its pid) ends here.
            String folder = var.toString();
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(folder)).orElse(false))
                    .forEach(p -> {
                        System.out.println("left running, killed: " + p.pid());
                        p.destroyForcibly();
                    });
        }
    }

    /** The distinct alerts paged as {@code alertname} or {@code alertname@entity}. */
    private List<String> fingerprints(String alert) {
        return pages.stream().filter(p -> alert.contains("@") ? (p.alertname() + "@" + p.entity()).equals(alert)
                : p.alertname().equals(alert)).map(Paged::fingerprint).distinct().toList();
    }

    private static boolean allUp(LocalStack stack) {
        try {
            StackState state = stack.state();
            return !ClusterStatus.flink(stack, state).containsValue(false)
                    && !ClusterStatus.brokers(stack, state, b -> true).containsValue(false);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean aliveAll(LocalStack stack, String... members) {
        try {
            StackState state = stack.state();
            return List.of(members).stream().allMatch(m -> stack.alive(state, m));
        } catch (IOException e) {
            return false;
        }
    }

    /** Each member's resident memory now (VmRSS), for docs/CLUSTER.md's cost figures. */
    private static void printResidentMemory(StackState state) throws IOException {
        for (Map.Entry<String, Long> e : state.pids.entrySet()) {
            Path status = Path.of("/proc", String.valueOf(e.getValue()), "status");
            if (Files.exists(status)) {
                String rss = Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:")).findFirst()
                        .orElse("VmRSS: ?");
                System.out.printf("RSS %-14s %s%n", e.getKey(), rss.substring(6).trim());
            }
        }
    }

    /** The TaskManager with the fewest free slots. */
    private static String busiestTaskManager(String jm) throws Exception {
        JsonNode tms = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(jm + "/taskmanagers"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
        String busiest = null;
        int fewest = Integer.MAX_VALUE;
        for (JsonNode tm : tms.path("taskmanagers")) {
            if (tm.path("freeSlots").asInt() < fewest) {
                fewest = tm.path("freeSlots").asInt();
                busiest = tm.path("id").asText();
            }
        }
        assertThat(busiest).as("TaskManagers of %s", tms).isNotNull();
        return busiest;
    }

    private static JsonNode overview(String jm) {
        try {
            return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(jm + "/jobs/overview"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** Both jobs RUNNING with every task running. */
    private static boolean fullyRunning(String jm) {
        int running = 0;
        for (JsonNode job : overview(jm).path("jobs")) {
            if (job.path("state").asText().equals("RUNNING")
                    && job.path("tasks").path("running").asInt() == job.path("tasks").path("total").asInt()) {
                running++;
            }
        }
        return running == 2;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(StackState state) {
        Properties p = new Properties();
        p.putAll(LocalStack.kafkaAdminSettings(state));
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.url(state, LocalStack.KAFKA));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every record of {@code topic} up to its end offsets now. */
    private static List<byte[]> readAll(StackState state, String topic) {
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(state)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /** The records of the samples topic per chip and window start in [from, to): what reached Kafka. */
    private static Map<String, Map<Long, Long>> producedPerWindow(StackState state, long from, long to)
            throws Exception {
        Map<String, Map<Long, Long>> produced = new TreeMap<>();
        ChipSampleCodec codec = new ChipSampleCodec();
        for (byte[] value : readAll(state, LocalStack.SAMPLES_TOPIC)) {
            ChipSample sample = codec.decode(value);
            long window = sample.timestampMillis() / WINDOW_MS * WINDOW_MS;
            if (window >= from && window < to) {
                produced.computeIfAbsent(sample.chip(), k -> new TreeMap<>()).merge(window, 1L, Long::sum);
            }
        }
        return produced;
    }

    /** Committed anomaly events, {@code id/STATE} to how often each is on the topic. */
    private static Map<String, Integer> anomalies(StackState state) throws Exception {
        Map<String, Integer> events = new TreeMap<>();
        AnomalyCodec codec = new AnomalyCodec();
        for (byte[] value : readAll(state, LocalStack.ANOMALIES_TOPIC)) {
            Anomaly a = codec.decode(value);
            events.merge(a.id() + "/" + a.state(), 1, Integer::sum);
        }
        return events;
    }

    private static void await(String what, Duration bound, BooleanSupplier done, Supplier<Object> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + bound.toSeconds() + " s; seen: " + seen.get());
            }
            Thread.sleep(500);
        }
    }
}
