package io.chipwatch.collector.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.collector.cli.FaultCommand;
import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.runtime.RealTimeSampler;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.testsupport.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.chipwatch.collector.source.SourceReading;
import io.chipwatch.collector.source.prometheus.FileSdTargets;
import io.chipwatch.collector.source.prometheus.ScrapeTarget;
import io.chipwatch.collector.source.prometheus.Scraper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The control API and /metrics against a simulator sampling in real time at 10 Hz. */
class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ClusterSimulator simulator;
    private static RealTimeSampler sampler;
    private static Thread thread;
    private static final String TOKEN = "test-token-0123456789abcdef";
    private static ControlServer server;
    @TempDir
    static Path tokenDir;
    private static final Map<String, ChipSample> latest = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        SimulationConfig config = SimulationConfig.builder().chips(160).seed(4).sampleIntervalMillis(100)
                .startMillis(RealTimeSampler.alignUp(System.currentTimeMillis(), 100)).build();
        simulator = new ClusterSimulator(config);
        CollectorMetrics metrics = new CollectorMetrics();
        metrics.bind(simulator);
        sampler = new RealTimeSampler(simulator, s -> latest.put(s.chip(), s),
                (ts, nanos, skipped) -> metrics.onTick(160, nanos, skipped));
        thread = new Thread(sampler, "sampler");
        thread.start();
        server = new ControlServer("127.0.0.1", 0, new ControlAccess(TOKEN, "the test's token", List.of("collector")),
                simulator, metrics);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
        sampler.stop();
        thread.join(5000);
    }

    private record Reply(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private static Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + TOKEN);
        b = switch (method) {
            case "POST" -> b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            case "DELETE" -> b.DELETE();
            case "GET" -> b.GET();
            default -> b.method(method, HttpRequest.BodyPublishers.ofString(body));
        };
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** The timestamp of the chip's latest sample, or {@code Long.MIN_VALUE} when none came since it was cleared. */
    private static long sampledAt(String chip) {
        ChipSample s = latest.get(chip);
        return s == null ? Long.MIN_VALUE : s.timestampMillis();
    }

    @Test
    void injectsListsAndClearsFaults() throws Exception {
        Reply created = call("POST", "/faults", "{\"type\":\"chip_down\",\"target\":\"p00-r01-n02-c03\",\"duration\":\"1m\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode f = created.json();
        assertThat(f.get("type").asText()).isEqualTo("chip_down");
        assertThat(f.get("target").asText()).isEqualTo("p00-r01-n02-c03");
        assertThat(f.get("state").asText()).isEqualTo("active");
        assertThat(f.get("endMillis").asLong() - f.get("onsetMillis").asLong()).isEqualTo(60_000);
        String id = f.get("id").asText();

        long onset = f.get("onsetMillis").asLong();
        Thread.sleep(300);
        latest.remove("p00-r01-n02-c03");
        // On a loaded machine the sampler can run behind real time: a sample taken before the onset may still
        // arrive after the removal. Wait until the sampler is well past the onset, then judge by timestamps.
        long deadline = System.currentTimeMillis() + 10_000;
        while (sampledAt("p00-r01-n02-c02") < onset + 300 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sampledAt("p00-r01-n02-c02")).as("a peer sampled past the onset")
                .isGreaterThanOrEqualTo(onset + 300);
        assertThat(sampledAt("p00-r01-n02-c03")).as("the chip is silent from its onset").isLessThan(onset);

        Reply selected = call("POST", "/faults", "{\"type\":\"rack_cooling\",\"target\":\"random-rack\"}");
        assertThat(selected.status()).isEqualTo(201);
        assertThat(selected.json().get("target").asText()).matches("p00-r0[01]");
        assertThat(selected.json().get("endMillis").isNull()).isTrue();

        JsonNode list = call("GET", "/faults", null).json().get("faults");
        assertThat(list).hasSizeGreaterThanOrEqualTo(2);
        assertThat(list.findValuesAsText("id")).contains(id);

        Reply cleared = call("DELETE", "/faults", null);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("cleared").findValuesAsText("state")).containsOnly("cleared");
        JsonNode after = call("GET", "/faults", null).json().get("faults");
        assertThat(after.findValuesAsText("state")).doesNotContain("active", "pending");
        Thread.sleep(300);
        assertThat(latest).containsKey("p00-r01-n02-c03");
    }

    @Test
    void badRequestsAre4xxWithTheReason() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"type\":\"melt\",\"target\":\"random-chip\"}", "type: unknown fault type 'melt'",
                "{\"target\":\"random-chip\"}", "type: required",
                "{\"type\":\"overheat\"}", "target: required, a chip id",
                "{\"type\":\"overheat\",\"target\":\"p07-r00-n00-c00\"}", "target: overheat targets a chip, and there is no chip",
                "{\"type\":\"node_down\",\"target\":\"random-chip\"}", "picks a chip but node_down targets a node",
                "{\"type\":\"overheat\",\"target\":\"random-chip\",\"duration\":\"soon\"}", "duration: 'soon' is not a duration",
                "{\"type\":\"overheat\",\"target\":\"random-chip\",\"duration\":30}", "duration: must be text with a unit",
                "{\"type\":\"overheat\",\"target\":\"random-chip\",\"colour\":\"red\"}", "colour: unknown key",
                "not json", "body is not JSON",
                "[1,2]", "body must be a JSON object");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Reply r = call("POST", "/faults", c.getKey());
            assertThat(r.status()).as(c.getKey()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(call("PUT", "/faults", "").status()).isEqualTo(405);
        assertThat(call("GET", "/faults/x", null).status()).isEqualTo(404);
    }

    @Test
    void metricsServeTheClusterUnderDcgmNamesAndTheCollectorsHealth() throws Exception {
        Thread.sleep(250);
        Reply r = call("GET", "/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        List<String> lines = r.body().lines().toList();
        assertThat(lines).contains("# TYPE DCGM_FI_DEV_GPU_UTIL gauge", "# TYPE DCGM_FI_DEV_GPU_TEMP gauge",
                "# TYPE DCGM_FI_DEV_POWER_USAGE gauge", "# TYPE chipwatch_link_latency_seconds gauge");
        assertThat(lines).anyMatch(l -> l.matches("DCGM_FI_DEV_GPU_TEMP\\{chip=\"p00-r00-n00-c00\",node=\"p00-r00-n00\","
                + "rack=\"p00-r00\",pod=\"p00\",gpu=\"0\",UUID=\"GPU-[-0-9a-f]{36}\",Hostname=\"p00-r00-n00\","
                + "modelName=\"[^\"]+\",device=\"nvidia0\"} \\d+(\\.\\d{1,3})?"));
        assertThat(lines).anyMatch(l -> l.matches("chipwatch_link_latency_seconds\\{chip=\"p00-r00-n00-c00\",.*,"
                + "link=\"p00-r00-n00-c00~sw\",peer=\"p00-r00-sw\",kind=\"fabric\"} \\d+(\\.\\d{1,3})?e-6"));
        assertThat(lines.stream().filter(l -> l.startsWith("DCGM_FI_DEV_POWER_USAGE{"))).hasSizeBetween(150, 160);
        assertThat(lines.stream().filter(l -> l.startsWith("chipwatch_link_latency_seconds{")).count())
                .isGreaterThan(150 * 8 - 20);
        assertThat(lines).anyMatch(l -> l.startsWith("chipwatch_collector_samples_produced_total "));
        assertThat(lines).anyMatch(l -> l.startsWith("chipwatch_collector_tick_duration_seconds_bucket{"));
        assertThat(lines).anyMatch(l -> l.startsWith("chipwatch_collector_chips "));
        assertThat(call("GET", "/healthz", null).body()).isEqualTo("ok\n");
    }

    @Test
    void perNodeTargetsListedAsFileSdAreScrapedByTheCollectorsOwnPrometheusSource() throws Exception {
        Thread.sleep(250);
        Reply sd = call("GET", "/file_sd", null);
        assertThat(sd.status()).isEqualTo(200);
        List<ScrapeTarget> targets = FileSdTargets.parse(sd.body(), false);
        assertThat(targets).isNotEmpty().allMatch(t -> t.url().getPath().equals("/metrics/node/" + t.node()));
        ScrapeTarget n00 = targets.stream().filter(t -> t.node().equals("p00-r00-n00")).findFirst().orElseThrow();
        try (Scraper scraper = new Scraper(Duration.ofSeconds(5), 1)) {
            SourceReading r = scraper.scrape(n00, 1_000).get(10, TimeUnit.SECONDS);
            assertThat(r.problems()).isEmpty();
            assertThat(r.samples()).extracting(ChipSample::chip).containsExactly("p00-r00-n00-c00", "p00-r00-n00-c01",
                    "p00-r00-n00-c02", "p00-r00-n00-c03", "p00-r00-n00-c04", "p00-r00-n00-c05", "p00-r00-n00-c06",
                    "p00-r00-n00-c07");
            assertThat(r.chips()).allMatch(c -> c.uuid().startsWith("GPU-") && c.hostname().equals("p00-r00-n00"));
        }
        assertThat(call("GET", "/metrics/node/p99-r00-n00", null).status()).isEqualTo(404);
    }

    private static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new FaultCommand(() -> server.url()));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        Path tokenFile = tokenDir.resolve("collector-token");
        try {
            Files.writeString(tokenFile, TOKEN + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--token-file")) {
            all.add("--token-file");
            all.add(tokenFile.toString());
        }
        int code = cmd.execute(all.toArray(String[]::new));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void theFaultCommandTalksToTheEndpoint() {
        String[] inject = cli("inject", "stuck_sensor", "--target", "random-busy-chip", "--duration", "30s");
        assertThat(inject[0]).as(inject[2]).isEqualTo("0");
        assertThat(inject[1]).startsWith("injected ").contains("stuck_sensor on p00-").contains("active");
        String[] list = cli("list");
        assertThat(list[0]).isEqualTo("0");
        assertThat(list[1]).contains("stuck_sensor");
        String[] json = cli("list", "--json");
        assertThat(json[1]).startsWith("{\"faults\":[");
        String[] refused = cli("inject", "overheat", "--target", "p09-r00-n00-c00");
        assertThat(refused[0]).isEqualTo("1");
        assertThat(refused[2]).contains("refused (400)").contains("no chip 'p09-r00-n00-c00'");
        assertThat(cli("inject", "melt", "--target", "x")[0]).isEqualTo("2");
        String[] clear = cli("clear");
        assertThat(clear[0]).isEqualTo("0");
        assertThat(clear[1]).startsWith("cleared ");
    }

    @Test
    void theFaultCommandSaysWhenNoCollectorAnswersAndHonoursAnExplicitUrl() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String[] r = cli("list", "--collector-url", "http://127.0.0.1:" + closed);
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("no collector at http://127.0.0.1:" + closed);
        String[] noToken = cli("list", "--token-file", tokenDir.resolve("missing").toString());
        assertThat(noToken[0]).isEqualTo("1");
        assertThat(noToken[2]).contains("no secret file").contains("missing");
        FaultCommand c = new FaultCommand(() -> null);
        assertThat(c.collectorUrl()).isEqualTo(FaultCommand.DEFAULT_URL);
        c.setCollectorUrl("http://h:1/");
        assertThat(c.collectorUrl()).isEqualTo("http://h:1");
    }

    private static final String INJECT = "{\"type\":\"sensor_glitch\",\"target\":\"random-chip\"}";

    private static String post(String host, String auth, String contentType, String body) {
        return "POST /faults HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                + (auth == null ? "" : "Authorization: " + auth + "\r\n")
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                + body;
    }

    @Test
    void aFaultIsInjectedOnlyWithTheTokenAsJsonFromALocalHost() throws Exception {
        RawHttp.Answer accepted = RawHttp.send(server.port(), post("127.0.0.1:" + server.port(), "Bearer " + TOKEN,
                "application/json", INJECT));
        assertThat(accepted.status()).as(accepted.text()).isIn(201, 202);
        assertThat(RawHttp.send(server.port(), post("collector:9400", "Bearer " + TOKEN, "application/json", INJECT))
                .status()).as("a configured name").isIn(201, 202);

        RawHttp.Answer noToken = RawHttp.send(server.port(), post("localhost", null, "application/json", INJECT));
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.text()).contains("WWW-Authenticate: Bearer realm=\"chipwatch-collector\"");
        assertThat(RawHttp.send(server.port(), post("localhost", "Bearer nope-" + TOKEN, "application/json", INJECT))
                .status()).isEqualTo(401);
        for (String method : List.of("GET", "DELETE")) {
            assertThat(RawHttp.send(server.port(), method + " /faults HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").status()).as(method).isEqualTo(401);
        }

        // A cross-site form or no-cors fetch: a simple type, or none.
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            RawHttp.Answer r = RawHttp.send(server.port(), post("localhost", "Bearer " + TOKEN, type, INJECT));
            assertThat(r.status()).as(String.valueOf(type)).isEqualTo(415);
        }

        // DNS rebinding: the attacker's name resolved to 127.0.0.1 is still in Host.
        RawHttp.Answer rebound = RawHttp.send(server.port(), post("attacker.example:" + server.port(),
                "Bearer " + TOKEN, "application/json", INJECT));
        assertThat(rebound.status()).isEqualTo(421);
        assertThat(rebound.body()).contains("is not served here");
        assertThat(RawHttp.send(server.port(), "GET /metrics HTTP/1.1\r\nHost: attacker.example\r\n"
                + "Connection: close\r\n\r\n").status()).isEqualTo(421);
        // Prometheus and health checks need no token.
        assertThat(RawHttp.send(server.port(), "GET /healthz HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
        call("DELETE", "/faults", null);
    }

    @Test
    void aBodyOverTheLimitIs413AndOneThatTricklesInIsCutOff() throws Exception {
        String big = "{\"type\":\"overheat\",\"target\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(RawHttp.send(server.port(), post("localhost", "Bearer " + TOKEN, "application/json", big))
                .status()).isEqualTo(413);
        String head = post("localhost", "Bearer " + TOKEN, "application/json", INJECT);
        RawHttp.Answer slow = RawHttp.trickle(server.port(), head.substring(0, head.indexOf("\r\n\r\n") + 4), INJECT, 100);
        assertThat(slow.millis()).as("cut off long before the body's %d bytes at 10 bytes/s", INJECT.length())
                .isLessThan(INJECT.length() * 100L - 1000);
        assertThat(slow.status()).as(slow.text()).isIn(0, 408);
    }
}
