package io.chipwatch.collector.source.prometheus;

import com.sun.net.httpserver.HttpServer;
import io.chipwatch.collector.source.SourceMetrics;
import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import io.chipwatch.model.sample.ChipSample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The scrape loop's rounds against real HTTP endpoints served here: good, NaN, malformed, slow and absent. */
class ScrapeLoopTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aRoundPublishesWhatAnswersAndCountsEveryProblemWithoutFailing(@TempDir Path dir) throws Exception {
        String dcgm = TextFormatParserTest.resource("/dcgm/dcgm-exporter-2gpu.txt");
        AtomicBoolean slow = new AtomicBoolean(true);
        int good = serve("/metrics", () -> dcgm);
        int perNode = serve("/metrics/node/n1", () -> dcgm.replace("} 97\n", "} NaN\n"));
        int malformed = serve("/metrics", () -> "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\" 5\n");
        int slowPort = serve("/metrics", () -> {
            if (slow.get()) {
                Thread.sleep(1500);
            }
            return dcgm;
        });
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path file = dir.resolve("targets.json");
        String n1 = group(perNode, "n1").replace("\"node\": \"n1\"", "\"node\": \"n1\", \"__metrics_path__\": \"/metrics/node/n1\"");
        write(file, "[" + String.join(",", group(good, "n0"), n1, group(malformed, "n2"), group(slowPort, "n3"),
                group(closed, "n4")) + "]");

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SourceMetrics metrics = new SourceMetrics(registry);
        List<ChipSample> samples = new CopyOnWriteArrayList<>();
        List<Anomaly> events = new CopyOnWriteArrayList<>();
        ScrapeLoop loop = new ScrapeLoop(new TargetsFile(file), 1000, Duration.ofMillis(400), 2, Duration.ZERO,
                metrics, samples::add, events::add, (ts, nanos, skipped) -> { });

        assertThat(loop.round(5_000)).isEqualTo(3);
        assertThat(samples).extracting(ChipSample::chip)
                .containsExactlyInAnyOrder("n0-c00", "n0-c01", "n1-c00");
        assertThat(samples).allMatch(s -> s.timestampMillis() == 5_000 && s.links().isEmpty() && s.job() == null);
        assertThat(metrics.problems(SourceProblem.NAN)).isEqualTo(1);
        assertThat(metrics.problems(SourceProblem.MALFORMED)).isEqualTo(1);
        assertThat(metrics.problems(SourceProblem.TIMEOUT)).isEqualTo(1);
        assertThat(metrics.problems(SourceProblem.UNREACHABLE)).isEqualTo(1);
        assertThat(events).allMatch(a -> a.isOpen() && a.type() == AnomalyType.TELEMETRY_SILENT
                && a.scope() == Scope.SOURCE);
        assertThat(events).extracting(a -> a.tags().get("node")).containsExactlyInAnyOrder("n2", "n3", "n4");
        Anomaly refused = events.stream().filter(a -> a.tags().get("node").equals("n4")).findFirst().orElseThrow();
        assertThat(refused.entity()).isEqualTo("http://127.0.0.1:" + closed + "/metrics");
        assertThat(refused.detail()).contains("connection refused: the host answers, its exporter does not");
        assertThat(events.stream().filter(a -> a.tags().get("node").equals("n3")).findFirst().orElseThrow().detail())
                .contains("timed out");
        String exposition = scrape(metrics, registry);
        assertThat(exposition).contains("chipwatch_collector_source_up{source=\"http://127.0.0.1:" + closed
                + "/metrics\",node=\"n4\"} 0");
        assertThat(exposition).contains("chipwatch_collector_source_up{source=\"http://127.0.0.1:" + perNode
                + "/metrics/node/n1\",node=\"n1\"} 1");
        assertThat(exposition).contains("chipwatch_chip_info{chip=\"n0-c01\",node=\"n0\","
                + "UUID=\"GPU-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901\",modelName=\"NVIDIA H100 80GB HBM3\","
                + "Hostname=\"gpu-node-07\"} 1");
        assertThat(exposition).contains("chipwatch_collector_source_problems_total{reason=\"timeout\"} 1.0");
        assertThat(exposition).contains("chipwatch_collector_source_targets_down 3.0");

        // The slow one answers again, the absent one leaves the file: both source-down events close.
        slow.set(false);
        events.clear();
        samples.clear();
        write(file, "[" + String.join(",", group(good, "n0"), group(malformed, "n2"), group(slowPort, "n3")) + "]");
        assertThat(loop.round(6_000)).isEqualTo(4);
        assertThat(events).allMatch(a -> !a.isOpen());
        assertThat(events).extracting(a -> a.tags().get("node")).containsExactlyInAnyOrder("n3", "n4");
        assertThat(metrics.problems(SourceProblem.MALFORMED)).isEqualTo(2);
        assertThat(metrics.problems(SourceProblem.TIMEOUT)).isEqualTo(1);
        assertThat(scrape(metrics, registry)).contains("chipwatch_collector_source_targets_down 1.0")
                .doesNotContain("node=\"n4\"} 0");
    }

    @Test
    void concurrencyBoundsScrapesInFlight(@TempDir Path dir) throws Exception {
        int[] inFlight = new int[2];
        Object lock = new Object();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int port = serve("/metrics", () -> {
                synchronized (lock) {
                    inFlight[0]++;
                    inFlight[1] = Math.max(inFlight[1], inFlight[0]);
                }
                Thread.sleep(50);
                synchronized (lock) {
                    inFlight[0]--;
                }
                return "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 1\nDCGM_FI_DEV_GPU_TEMP{gpu=\"0\"} 2\n"
                        + "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\"} 3\n";
            });
            groups.add(group(port, "n" + i));
        }
        Path file = dir.resolve("t.json");
        write(file, "[" + String.join(",", groups) + "]");
        List<ChipSample> samples = new CopyOnWriteArrayList<>();
        ScrapeLoop loop = new ScrapeLoop(new TargetsFile(file), 2000, Duration.ofMillis(1500), 2, Duration.ofSeconds(10),
                new SourceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), samples::add, a -> { },
                (ts, nanos, skipped) -> { });
        assertThat(loop.round(0)).isEqualTo(6);
        assertThat(inFlight[1]).isBetween(1, 2);
    }

    private static String scrape(SourceMetrics metrics, PrometheusMeterRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return registry.scrape() + out.toString(StandardCharsets.UTF_8);
    }

    private static String group(int port, String node) {
        return "{\"targets\": [\"127.0.0.1:" + port + "\"], \"labels\": {\"pod\": \"p\", \"rack\": \"r\", \"node\": \""
                + node + "\"}}";
    }

    private static void write(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling("tmp.json");
        Files.writeString(tmp, text);
        if (Files.exists(file)) {
            Files.setLastModifiedTime(tmp, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1000));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A body supplier that may wait. */
    private interface Body {
        String get() throws Exception;
    }

    private int serve(String path, Body body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(path, exchange -> {
            try {
                byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (Exception e) {
                exchange.close();
            }
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }
}
