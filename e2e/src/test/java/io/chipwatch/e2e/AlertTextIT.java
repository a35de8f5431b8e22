package io.chipwatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.alerting.AlertingConfig;
import io.chipwatch.alerting.AlertingService;
import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.FaultRequest;
import io.chipwatch.collector.sim.FaultStatus;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.infra.LocalAlertmanager;
import io.chipwatch.jobs.detection.DetectionJob;
import io.chipwatch.jobs.detection.DetectionJobConfig;
import io.chipwatch.jobs.launch.JobEnvironment;
import io.chipwatch.model.fault.FaultType;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the pager says is true, on the real path: the collector's simulator injects one fault of every type of the
 * catalogue (CONTRACTS.md §2) into a real Kafka topic, the real {@code DetectionJob} runs bounded on a Flink
 * MiniCluster (exactly-once sink to the anomalies topic), the alerting service turns the anomalies into alerts and
 * posts them to a real Alertmanager. Each alert's summary and description, as Alertmanager's own API
 * ({@code GET /api/v2/alerts}) holds them, must state the injected fault's signature: the temperature within a
 * few °C of the chip's reading, utilisation in percent within a few points, the latency ratio near the injected
 * factor, power against the cap; units present; no {@code n/a}, no {@code -} for a missing tag, no placeholder
 * left.
 */
@ExtendWith(RealInfrastructureExtension.class)
class AlertTextIT {
    private static final int CHIPS = 320;
    /** Faults start after the detectors' warm-up (thermal model, baselines, job levels) and last to the end. */
    private static final int ONSET_S = 90;
    private static final int SECONDS = 150;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    /** Every sample the simulator produced, by chip and time. */
    private final Map<String, NavigableMap<Long, ChipSample>> samples = new HashMap<>();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyFaultTypesAlertStatesItsSignatureInUnits(KafkaService kafka, @TempDir Path dir) throws Exception {
        String samplesTopic = TestTopics.unique("samples");
        String anomaliesTopic = TestTopics.unique("anomalies");
        kafka.createTopic(samplesTopic, 2);
        kafka.createTopic(anomaliesTopic, 1);

        // Recent event time, so that the alerts are current for Alertmanager.
        long start = (System.currentTimeMillis() - (SECONDS + 30) * 1000L) / 1000 * 1000;
        // The idealised data: this test pins the alert texts' facts to the injected faults' signatures (a stuck
        // sensor's repeats, a degraded link's ratio); how detection copes with real data is eval's business.
        SimulationConfig simulation = SimulationConfig.builder().chips(CHIPS).seed(20_261_203L).startMillis(start)
                .imperfections(Imperfections.CLEAN).build();
        ClusterSimulator simulator = new ClusterSimulator(simulation);
        long onset = start + ONSET_S * 1000L;
        // The rack first, so the other faults' random targets keep out of its nodes (its inhibition would hide
        // their chip alerts).
        simulator.schedule(new FaultRequest(FaultType.RACK_COOLING, "random-rack", onset, 0));
        String[][] faults = {
                {"OVERHEAT", "random-busy-chip"}, {"POWER_THROTTLE", "random-training-chip"},
                {"STRAGGLER", "random-training-chip"}, {"LINK_DEGRADED", "random-busy-intra-link"},
                {"LINK_FLAP", "random-busy-intra-link"}, {"CHIP_DOWN", "random-busy-chip"},
                {"NODE_DOWN", "random-node"}, {"STUCK_SENSOR", "random-training-chip"}};
        for (String[] f : faults) {
            simulator.schedule(new FaultRequest(FaultType.valueOf(f[0]), f[1], onset + 1_000, 0));
        }
        publish(simulator, kafka.bootstrapServers(), samplesTopic);
        Map<FaultType, FaultStatus> injected = new HashMap<>();
        for (FaultStatus f : simulator.faults()) {
            injected.put(f.type(), f);
        }
        assertThat(injected).hasSize(9);

        try (LocalAlertmanager am = LocalAlertmanager.builder().dataDir(dir.resolve("am")).build().start();
             AlertingService alerting = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .anomaliesTopic(anomaliesTopic).stateTopic(TestTopics.unique("alerting_state"))
                     .groupId(TestTopics.unique("alerting")).alertmanagerUrl(am.url()).port(0)
                     .tokenFile(dir.resolve("token")))) {
            detect(kafka.bootstrapServers(), samplesTopic, anomaliesTopic, dir);

            Map<String, JsonNode> alerts = awaitAlerts(am.url(), List.of("ChipOverheating", "RackCoolingFailure",
                    "ChipPowerThrottled", "LinkDegraded", "LinkFlapping", "ChipStraggler", "ChipDown", "NodeDown",
                    "TemperatureSensorStuck"));
            for (JsonNode alert : alerts.values()) {
                System.out.printf("%s%n  summary: %s%n  description: %s%n", alert.get("labels").get("alertname"),
                        summary(alert), description(alert));
            }
            for (JsonNode alert : alerts.values()) {
                assertClean(alert);
            }
            overheat(alerts.get("ChipOverheating"), injected.get(FaultType.OVERHEAT));
            rackCooling(alerts.get("RackCoolingFailure"));
            powerThrottle(alerts.get("ChipPowerThrottled"), injected.get(FaultType.POWER_THROTTLE));
            linkDegraded(alerts.get("LinkDegraded"), injected.get(FaultType.LINK_DEGRADED));
            linkFlap(alerts.get("LinkFlapping"));
            straggler(alerts.get("ChipStraggler"), injected.get(FaultType.STRAGGLER));
            silence(alerts.get("ChipDown"), "Chip \\S+ stopped reporting: silent (N) s \\(limit (N) s\\)");
            silence(alerts.get("NodeDown"), "Node \\S+ down: 8 chips silent for (N) s \\(limit (N) s\\)");
            stuckSensor(alerts.get("TemperatureSensorStuck"), injected.get(FaultType.STUCK_SENSOR));
        }
    }

    private void publish(ClusterSimulator simulator, String bootstrap, String topic) throws Exception {
        try (KafkaSamplePublisher publisher = KafkaSamplePublisher.builder().bootstrapServers(bootstrap).topic(topic)
                .producerProperty("max.block.ms", "120000").build()) {
            assertThat(publisher.awaitReady(Duration.ofSeconds(60))).isTrue();
            for (int t = 0; t < SECONDS; t++) {
                simulator.tick(s -> {
                    samples.computeIfAbsent(s.chip(), c -> new TreeMap<>()).put(s.timestampMillis(), s);
                    publisher.accept(s);
                });
            }
            publisher.flush();
            assertThat(publisher.failed()).isZero();
            assertThat(publisher.acknowledged()).isEqualTo(publisher.sent());
        }
    }

    private static void detect(String bootstrap, String samplesTopic, String anomaliesTopic, Path dir)
            throws Exception {
        // On idealised readings (continuous, 0.1 °C noise) an exact repeat is only ever a frozen sensor: the default
        // rule's wait for the chip's model to move 3 °C (meant for whole-degree readings) is not needed to find it,
        // and the stuck chip here sits under steady load, where that wait never ends.
        Path thresholds = dir.resolve("detection.yaml");
        Files.writeString(thresholds, "stuckSensor:\n  minExpectedRangeC: 0.0\n");
        DetectionJobConfig config = DetectionJobConfig.fromArgs(new String[]{
                "--bootstrap", bootstrap, "--topic", samplesTopic, "--anomalies-topic", anomaliesTopic,
                "--group-id", TestTopics.unique("detection"),
                "--transactional-id-prefix", TestTopics.unique("detection_tx"),
                "--detection-config", thresholds.toString(),
                "--bounded", "--parallelism", "2", "--checkpoint-interval-ms", "1000", "--idleness-ms", "0"});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, config.job());
        DetectionJob.build(env, config);
        env.execute(DetectionJob.JOB_NAME);
    }

    /** Alertmanager's active alerts by alert name, once every expected name is there (one alert each). */
    private static Map<String, JsonNode> awaitAlerts(String amUrl, List<String> names) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, List<JsonNode>> byName = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(amUrl + "/api/v2/alerts")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            byName.clear();
            for (JsonNode a : JSON.readTree(res.body())) {
                byName.computeIfAbsent(a.get("labels").get("alertname").asText(), k -> new ArrayList<>()).add(a);
            }
            if (byName.keySet().containsAll(names)) {
                break;
            }
            Thread.sleep(500);
        }
        // The always-firing heartbeat for an external dead man's switch is there too; it describes no fault.
        assertThat(byName.remove("Watchdog")).as("the Watchdog heartbeat").hasSize(1);
        assertThat(byName.keySet()).as("alert names in Alertmanager").containsExactlyInAnyOrderElementsOf(names);
        Map<String, JsonNode> one = new TreeMap<>();
        byName.forEach((name, list) -> {
            assertThat(list).as("alerts named %s: %s", name, list).hasSize(1);
            one.put(name, list.get(0));
        });
        return one;
    }

    private static String summary(JsonNode alert) {
        return alert.get("annotations").get("summary").asText();
    }

    private static String description(JsonNode alert) {
        return alert.get("annotations").get("description").asText();
    }

    /** No placeholder left, nothing printed for a missing value, a unit after the numbers. */
    private static void assertClean(JsonNode alert) {
        for (String text : List.of(summary(alert), description(alert))) {
            assertThat(text).as(alert.get("labels").get("alertname").asText())
                    .doesNotContain("{{", "}}", "[[", "]]", "n/a", "NaN", "Infinity", " -)", " - ", "job -", "()")
                    .doesNotEndWith(" ");
        }
        assertThat(summary(alert)).containsPattern("\\d ?(°C|%|W|µs|s|×)");
    }

    /** The numbers of {@code text} matched by {@code regex}, where {@code (N)} stands for a number. */
    private static double[] numbers(String text, String regex) {
        Matcher m = Pattern.compile(regex.replace("(N)", "(" + NUMBER.pattern() + ")")).matcher(text);
        assertThat(m.find()).as("\"%s\" matches %s", text, regex).isTrue();
        double[] out = new double[m.groupCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.parseDouble(m.group(i + 1));
        }
        return out;
    }

    private static long startsAt(JsonNode alert) {
        return Instant.parse(alert.get("startsAt").asText()).toEpochMilli();
    }

    /** The chip's sample at {@code ts} (or the latest before it). */
    private ChipSample sample(String chip, long ts) {
        Map.Entry<Long, ChipSample> e = samples.get(chip).floorEntry(ts);
        assertThat(e).as("a sample of %s at %d", chip, ts).isNotNull();
        return e.getValue();
    }

    /** The number after {@code prefix} in an injected fault's detail, e.g. "latency x" of "latency x9.1". */
    private static double parameter(FaultStatus fault, String prefix) {
        return numbers(fault.detail(), Pattern.quote(prefix) + "(N)")[0];
    }

    private void overheat(JsonNode alert, FaultStatus fault) {
        String chip = alert.get("labels").get("chip").asText();
        assertThat(chip).isEqualTo(fault.target());
        double[] n = numbers(summary(alert), "overheating: (N) °C \\(limit (N) °C\\), rising (N) °C/s");
        ChipSample reading = sample(chip, startsAt(alert));
        assertThat(n[0]).as("temperature against the chip's reading %s", reading.tempC())
                .isCloseTo(reading.tempC(), within(3.0));
        assertThat(n[1]).isEqualTo(90.0);
        double rate = parameter(fault, "+");
        assertThat(n[2]).as("rise rate against the injected %s °C/s", rate).isBetween(0.3 * rate, 1.6 * rate + 0.3);
        assertThat(description(alert)).contains("°C against a critical limit of 90 °C", "°C/s");
    }

    private void rackCooling(JsonNode alert) {
        String rack = alert.get("labels").get("rack").asText();
        double[] n = numbers(summary(alert), "cooling failure: chips (N) °C hotter than their power explains"
                + " \\(limit (N) °C\\), (N) of (N) chips hot");
        assertThat(n[0]).isGreaterThanOrEqualTo(n[1]);
        assertThat(n[2]).isPositive().isLessThanOrEqualTo(n[3]);
        double hottest = numbers(description(alert), "the hottest at (N) °C")[0];
        long ts = startsAt(alert);
        double max = samples.values().stream().map(m -> m.floorEntry(ts)).filter(e -> e != null
                && e.getValue().rack().equals(rack)).mapToDouble(e -> e.getValue().tempC()).max().orElseThrow();
        assertThat(hottest).as("the rack's hottest chip reads %s", max).isCloseTo(max, within(3.0));
    }

    private void powerThrottle(JsonNode alert, FaultStatus fault) {
        String chip = alert.get("labels").get("chip").asText();
        assertThat(chip).isEqualTo(fault.target());
        double[] n = numbers(summary(alert),
                "power-throttled: (N) W, (N) % of its (N) W TDP \\(throttling limit (N) W\\)");
        assertThat(n[1]).isCloseTo(100 * n[0] / n[2], within(0.1));
        assertThat(n[0]).isLessThanOrEqualTo(n[3]);
        double capPct = parameter(fault, "power cap ");
        assertThat(n[1]).as("share of TDP under the injected cap of %s %%", capPct).isBetween(capPct - 15, capPct + 2);
        double reading = sample(chip, startsAt(alert)).powerW();
        assertThat(n[0]).as("the chip's power at detection %s W", reading).isCloseTo(reading, within(15.0));
    }

    private void linkDegraded(JsonNode alert, FaultStatus fault) {
        assertThat(alert.get("labels").get("link").asText()).isEqualTo(fault.target());
        double[] n = numbers(summary(alert),
                "degraded: (N) µs latency, (N)× its (N) µs baseline \\(alerts at (N)×\\)");
        double factor = parameter(fault, "latency x");
        // The reading at detection: the injected factor, times the load of a communication phase if the step was
        // in one (x1-2.6 on intra links, CONTRACTS.md §1).
        assertThat(n[1]).as("ratio against the injected factor %s", factor).isBetween(0.7 * factor, 2.7 * factor);
        assertThat(n[0]).isCloseTo(n[1] * n[2], within(0.05 * n[0] + 0.1));
        String chip = alert.get("labels").get("chip").asText();
        double reading = sample(chip, startsAt(alert)).links().stream()
                .filter(l -> l.link().equals(fault.target())).mapToDouble(LinkLatency::latencyUs).findFirst()
                .orElse(Double.NaN);
        if (!Double.isNaN(reading)) {
            assertThat(n[0]).as("latency against one end's reading %s µs", reading)
                    .isBetween(0.5 * reading, 2.0 * reading);
        }
    }

    private static void linkFlap(JsonNode alert) {
        double[] n = numbers(summary(alert), "flapping: (N) bad burst\\(s\\) within (N) s");
        assertThat(n[0]).isBetween(1.0, 2.0);
        assertThat(n[1]).isPositive();
        assertThat(summary(alert) + description(alert)).doesNotContain("against");
    }

    private void straggler(JsonNode alert, FaultStatus fault) {
        String chip = alert.get("labels").get("chip").asText();
        assertThat(chip).isEqualTo(fault.target());
        double[] n = numbers(summary(alert),
                "utilisation against (N) % for its peers \\((N) % below, alerts at (N) %\\)");
        double util = numbers(summary(alert), ": (N) % utilisation")[0];
        double drop = parameter(fault, "utilisation -");
        assertThat(100 * (n[0] - util) / n[0]).as("deficit against the injected %s %%", drop)
                .isCloseTo(drop, within(8.0));
        assertThat(n[1]).isCloseTo(100 * (n[0] - util) / n[0], within(1.0));
        assertThat(n[0]).isBetween(20.0, 100.0);
        ChipSample reading = sample(chip, startsAt(alert));
        assertThat(util).as("utilisation against the chip's reading %s %%", reading.util())
                .isCloseTo(reading.util(), within(8.0));
    }

    private static void silence(JsonNode alert, String regex) {
        double[] n = numbers(summary(alert), regex);
        assertThat(n[1]).isEqualTo(3.0);
        assertThat(n[0]).isBetween(n[1], n[1] + 3);
    }

    private void stuckSensor(JsonNode alert, FaultStatus fault) {
        String chip = alert.get("labels").get("chip").asText();
        assertThat(chip).isEqualTo(fault.target());
        double[] n = numbers(summary(alert), "stuck at (N) °C for (N) readings");
        assertThat(n[0]).isCloseTo(sample(chip, startsAt(alert)).tempC(), within(0.1));
        assertThat(n[1]).isGreaterThanOrEqualTo(4);
    }
}
