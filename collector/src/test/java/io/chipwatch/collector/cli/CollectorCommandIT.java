package io.chipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.collector.TopicReader;
import io.chipwatch.collector.output.FaultEventJson;
import io.chipwatch.collector.source.prometheus.FileSdTargets;
import io.chipwatch.collector.source.prometheus.ScrapeTarget;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.model.wire.WireFormatException;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.TestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the real-time collector against a real broker for a couple of seconds. */
@RealInfrastructure
class CollectorCommandIT {
    private static final Pattern ACKNOWLEDGED =
            Pattern.compile("^chipwatch_collector_samples_acknowledged_total(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    @Test
    void publishesWholeAlignedTicksInRealTimeAndFlushesOnStop(KafkaService kafka, @TempDir Path dir) throws Exception {
        String topic = kafka.createUniqueTopic("collector", 2);
        CollectorCommand command = new CollectorCommand();
        long started = System.currentTimeMillis();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(command).execute(
                "--bootstrap", kafka.bootstrapServers(), "--topic", topic, "--chips", "80", "--interval-ms", "200",
                "--seed", "3", "--metrics-port", "0", "--token-file", dir.resolve("token").toString(),
                "--write-file-sd", dir.resolve("targets.json").toString(),
                // A perfect transport and node clocks: whole ticks on the grid (TransportTest has the imperfect one).
                "--clean"));
        awaitAcknowledged(command, 3 * 80);
        List<ScrapeTarget> targets = FileSdTargets.parse(Files.readString(dir.resolve("targets.json")), false);
        assertThat(targets).hasSize(10).allMatch(t -> t.url().toString().equals(command.controlUrl() + "/metrics/node/"
                + t.node()));
        command.requestStop();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        long stopped = System.currentTimeMillis();

        ChipSampleCodec codec = new ChipSampleCodec();
        Map<Long, Integer> chipsPerTick = new TreeMap<>();
        Map<String, Long> lastTsPerChip = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(kafka, topic, 80);
        for (ConsumerRecord<String, byte[]> record : records) {
            ChipSample s = decode(codec, record.value());
            chipsPerTick.merge(s.timestampMillis(), 1, Integer::sum);
            Long previous = lastTsPerChip.put(s.chip(), s.timestampMillis());
            if (previous != null) {
                assertThat(s.timestampMillis()).isGreaterThan(previous);
            }
        }
        // At least the ticks waited for, at most one per 200 ms of the run (a busy machine only skips ticks).
        assertThat(chipsPerTick.size()).as("ticks between start and stop at 5 Hz")
                .isBetween(3, (int) ((stopped - started) / 200) + 1);
        // Every tick complete (stopping lets the tick in progress finish and flushes it), on the 200 ms grid,
        // within the run's wall-clock span.
        chipsPerTick.forEach((ts, chips) -> {
            assertThat(chips).isEqualTo(80);
            assertThat(ts % 200).isZero();
            assertThat(ts).isBetween(started, stopped);
        });
    }

    /**
     * Waits (a minute at most) until the running collector's {@code /metrics} counts {@code samples} acknowledged by
     * the broker: progress, not a fixed sleep, so a slow machine only makes the test slower.
     */
    private static void awaitAcknowledged(CollectorCommand command, int samples) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double acknowledged = 0;
        while (System.nanoTime() < deadline) {
            String url = command.controlUrl();
            if (url != null) {
                String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                        BodyHandlers.ofString()).body();
                Matcher m = ACKNOWLEDGED.matcher(metrics);
                acknowledged = m.find() ? Double.parseDouble(m.group(1)) : 0;
                if (acknowledged >= samples) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the collector had " + acknowledged + " samples acknowledged after 60 s, expected "
                + samples);
    }

    private static ChipSample decode(ChipSampleCodec codec, byte[] value) {
        try {
            return codec.decode(value);
        } catch (WireFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bootstrapIsRequired() {
        assertThat(new CommandLine(new CollectorCommand()).execute("--chips", "8")).isEqualTo(2);
    }

    @Test
    void playsAScenarioPublishesItsGroundTruthAndServesMetricsAndFaults(KafkaService kafka,
            @TempDir Path dir) throws Exception {
        String topic = TestTopics.unique("collector");
        String truthTopic = TestTopics.unique("truth");
        kafka.createTopic(topic, 2);
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, "duration: 1m\nfaults:\n"
                + "  - {type: chip_down, target: p00-r00-n01-c02, at: 400ms, duration: 600ms}\n");
        CollectorCommand command = new CollectorCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(command).execute(
                "--bootstrap", kafka.bootstrapServers(), "--topic", topic, "--chips", "80", "--interval-ms", "200",
                "--seed", "3", "--metrics-port", "0", "--scenario", scenario.toString(), "--truth-topic", truthTopic,
                "--token-file", dir.resolve("token").toString()));
        // Past the fault's end (1 s into the scenario: tick 5 of 200 ms) and acknowledged by the broker.
        awaitAcknowledged(command, 7 * 80);
        HttpClient http = HttpClient.newHttpClient();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(command.controlUrl() + "/metrics"))
                .build(), BodyHandlers.ofString()).body();
        assertThat(metrics).contains("DCGM_FI_DEV_GPU_UTIL{chip=\"p00-r00-n00-c00\"")
                .contains("chipwatch_collector_samples_acknowledged_total")
                .contains("chipwatch_collector_send_latency_seconds_count");
        String faults = http.send(HttpRequest.newBuilder(URI.create(command.controlUrl() + "/faults"))
                .header("Authorization", "Bearer " + Files.readString(dir.resolve("token")).strip())
                .build(), BodyHandlers.ofString()).body();
        assertThat(faults).contains("\"type\":\"chip_down\"").contains("\"state\":\"ended\"");
        command.requestStop();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();

        List<ConsumerRecord<String, byte[]>> truth = TopicReader.readAll(kafka, truthTopic, 2);
        assertThat(truth).hasSize(2);
        String onset = new String(truth.get(0).value(), StandardCharsets.UTF_8);
        String end = new String(truth.get(1).value(), StandardCharsets.UTF_8);
        assertThat(truth.get(0).key()).isEqualTo(truth.get(1).key()).startsWith("f");
        assertThat(onset).contains("\"type\":\"chip_down\"", "\"target\":\"p00-r00-n01-c02\"", "\"phase\":\"onset\"");
        assertThat(end).contains("\"phase\":\"end\"");
        var event = FaultEventJson.parse(end);
        assertThat(event.endMillis() - event.onsetMillis()).isEqualTo(600);
    }
}
