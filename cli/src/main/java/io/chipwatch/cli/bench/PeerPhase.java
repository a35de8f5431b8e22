package io.chipwatch.cli.bench;

import io.chipwatch.cli.bench.BenchReport.Peer;
import io.chipwatch.cli.bench.BenchReport.Usage;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.infra.LocalPrometheus;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The peer's side of a benchmark: the tool our users would pick instead. A real Prometheus scrapes the same
 * simulated cluster's {@code /metrics} (dcgm-exporter's names, every chip and link end: the same values the pipeline
 * takes from Kafka) at the collector's sampling interval, stores them and evaluates two alert rules every interval:
 * a silent chip (a temperature series that existed five seconds ago and is gone) and an overheating chip. Runs after
 * the pipeline phase with every pipeline component stopped but Kafka and the collector, so the two never share
 * cores; charged: Prometheus's CPU over the window, per million samples it appended (its own
 * {@code prometheus_tsdb_head_samples_appended_total}).
 */
final class PeerPhase {
    static final String RULES = """
            groups:
              - name: chips
                rules:
                  - alert: ChipSilent
                    expr: DCGM_FI_DEV_GPU_TEMP offset 5s unless DCGM_FI_DEV_GPU_TEMP
                    labels: {severity: critical}
                  - alert: ChipOverheating
                    expr: DCGM_FI_DEV_GPU_TEMP > 90
                    labels: {severity: warning}
            """;
    private static final List<String> STOPPED = List.of(LocalStack.DETECTION, LocalStack.FLINK, LocalStack.ALERTING,
            LocalStack.ALERTMANAGER, LocalStack.INFLUXDB);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final LocalStack stack;
    private final PrintStream progress;

    PeerPhase(LocalStack stack, PrintStream progress) {
        this.stack = stack;
        this.progress = progress;
    }

    Peer run(StackState state, Duration interval, Duration warmup, Duration duration) throws Exception {
        progress.println("bench: peer phase: stopping the pipeline (Kafka and the collector stay), starting Prometheus");
        for (String component : STOPPED) {
            stack.stop(state, component);
        }
        String collector = URI.create(LocalStack.url(state, LocalStack.COLLECTOR)).getAuthority();
        try (LocalPrometheus prometheus = LocalPrometheus.builder()
                .dataDir(stack.layout().data("prometheus"))
                .logFile(stack.layout().log("prometheus"))
                .port(0)
                .scrapeTarget(collector)
                .scrapeInterval(interval)
                .rules(RULES)
                .build()
                .start()) {
            progress.printf("bench: Prometheus at %s scraping %s every %d ms; warming up for %d s%n", prometheus.url(),
                    collector, interval.toMillis(), warmup.toSeconds());
            PipelinePhase.sleep(warmup);
            awaitFirstScrape(prometheus);
            long collectorPid = state.pids.get(LocalStack.COLLECTOR);
            ProcessMeter.Reading p0 = ProcessMeter.read(prometheus.pid()).orElseThrow();
            ProcessMeter.Reading c0 = ProcessMeter.read(collectorPid).orElseThrow();
            long s0 = samplesAppended(prometheus.url());
            progress.printf("bench: measuring Prometheus for %d s%n", duration.toSeconds());
            long t0 = System.nanoTime();
            PipelinePhase.sleep(duration);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long samples = samplesAppended(prometheus.url()) - s0;
            ProcessMeter.Reading p1 = ProcessMeter.read(prometheus.pid()).orElseThrow();
            ProcessMeter.Reading c1 = ProcessMeter.read(collectorPid).orElseThrow();
            double cpu = p1.cpuSeconds() - p0.cpuSeconds();
            double collectorCpu = c1.cpuSeconds() - c0.cpuSeconds();
            progress.printf("bench: Prometheus appended %,d samples in %.0f s%n", samples, seconds);
            return new Peer("prometheus " + version(), interval.toMillis() / 1000.0, samples, PipelinePhase.round(cpu),
                    p1.peakRssBytes() >> 20, PipelinePhase.round(PipelinePhase.perMillion(cpu, samples)),
                    new Usage(PipelinePhase.round(collectorCpu), c1.peakRssBytes() >> 20,
                            PipelinePhase.round(PipelinePhase.perMillion(collectorCpu, samples))));
        }
    }

    /**
     * Waits until Prometheus has stored a scrape (its counter of appended samples appears with the first one).
     *
     * @throws IllegalStateException after 30 s, with the target's last error as Prometheus reports it
     */
    private static void awaitFirstScrape(LocalPrometheus prometheus) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                samplesAppended(prometheus.url());
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Prometheus stored no scrape within 30 s; its targets: "
                            + get(prometheus.url() + "/api/v1/targets"), e);
                }
                Thread.sleep(500);
            }
        }
    }

    /** Prometheus's own counter of samples appended to its head block, from its {@code /metrics}. */
    static long samplesAppended(String prometheusUrl) throws IOException, InterruptedException {
        return parseSamplesAppended(get(prometheusUrl + "/metrics"));
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sums every series of {@code prometheus_tsdb_head_samples_appended_total} (one per sample type since 2.39). */
    static long parseSamplesAppended(String exposition) {
        double total = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("prometheus_tsdb_head_samples_appended_total")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("Prometheus's /metrics has no prometheus_tsdb_head_samples_appended_total");
        }
        return (long) total;
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder(LocalPrometheus.findBinary().toString(), "--version").redirectErrorStream(true)
                    .start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
            p.waitFor();
            int v = first.indexOf("version ");
            return v < 0 ? "" : first.substring(v + 8).split("\\s+")[0];
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
