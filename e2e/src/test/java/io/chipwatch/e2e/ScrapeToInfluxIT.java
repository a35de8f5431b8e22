package io.chipwatch.e2e;

import com.sun.net.httpserver.HttpServer;
import io.chipwatch.collector.cli.CollectorCommand;
import io.chipwatch.jobs.aggregation.AggregationJob;
import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.PipelineTopics;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A real fleet's path on real components: three dcgm-exporter endpoints (served here, in dcgm-exporter's format and
 * labels) listed in a Prometheus file_sd file → the collector with {@code --source prometheus} → the real Kafka
 * broker → the aggregation job on a Flink MiniCluster → the real InfluxDB. Each GPU serves constant readings, so
 * every {@code chip} point must hold them (maxima exactly, means to 1e-9), for every chip that had a valid reading, with as many samples as
 * the collector published; a GPU reading NaN has no point; a fourth target that never answers is a source-down
 * event ({@code telemetry_silent} naming it and its node) on the anomalies topic.
 */
@ExtendWith(RealInfrastructureExtension.class)
class ScrapeToInfluxIT {
    private static final long WINDOW_MS = 10_000;
    /** Per chip: util, temp, power as served. */
    private static final Map<String, double[]> SERVED = Map.of(
            "p00-r00-n00-c00", new double[] {97, 61, 612.904}, "p00-r00-n00-c01", new double[] {0, 34, 71.436},
            "p00-r00-n01-c00", new double[] {45.5, 50, 300.125}, "p00-r00-n01-c01", new double[] {12, 44, 150},
            "p00-r01-n00-c00", new double[] {100, 82, 699.5});

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void scrapedDcgmReadingsArriveExactlyInInflux(KafkaService kafka, InfluxService influx, @TempDir Path dir)
            throws Exception {
        PipelineTopics run = PipelineTopics.create(kafka, "scrape", 2);
        String anomalies = kafka.createUniqueTopic("scrape_anomalies", 1);
        List<HttpServer> servers = new ArrayList<>();
        try {
            int n0 = serve(servers, "/metrics", exporter("gpu-a", "p00-r00-n00", 2));
            int n1 = serve(servers, "/metrics", exporter("gpu-b", "p00-r00-n01", 2));
            int r1 = serve(servers, "/metrics", exporter("gpu-c", "p00-r01-n00", 2));
            int dead;
            try (ServerSocket s = new ServerSocket(0)) {
                dead = s.getLocalPort();
            }
            Path targets = dir.resolve("targets.json");
            Files.writeString(targets, "[" + String.join(",", group(n0, "p00-r00", "p00-r00-n00"),
                    group(n1, "p00-r00", "p00-r00-n01"), group(r1, "p00-r01", "p00-r01-n00"),
                    group(dead, "p00-r01", "p00-r01-n01")) + "]");

            CollectorCommand collector = new CollectorCommand();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(collector).execute(
                    "--source", "prometheus", "--targets", targets.toString(), "--bootstrap", kafka.bootstrapServers(),
                    "--topic", run.topic(), "--anomalies-topic", anomalies, "--interval-ms", "1000",
                    "--source-down-after", "2s", "--metrics-port", "0"));
            String metrics = awaitAcknowledged(collector, exit, 5 * 12);
            collector.requestStop();
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
            assertThat(metrics).contains("chipwatch_collector_source_problems_total{reason=\"nan\"}")
                    .contains("chipwatch_chip_info{chip=\"p00-r01-n00-c00\",node=\"p00-r01-n00\",UUID=\"GPU-gpu-c-0\","
                            + "modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"gpu-c\"} 1");

            List<ChipSample> samples = readSamples(kafka, run.topic());
            assertThat(samples).isNotEmpty().allMatch(x -> SERVED.containsKey(x.chip()));
            Map<String, Long> perChip = new HashMap<>();
            for (ChipSample s : samples) {
                perChip.merge(s.chip(), 1L, Long::sum);
                assertThat(s.timestampMillis() % 1000).isZero();
                assertThat(new double[] {s.util(), s.tempC(), s.powerW()}).containsExactly(SERVED.get(s.chip()));
            }
            assertThat(perChip.keySet()).containsExactlyInAnyOrderElementsOf(SERVED.keySet());

            AggregationJobConfig config = AggregationJobConfig.builder().bootstrapServers(kafka.bootstrapServers())
                    .topic(run.topic()).deadLetterTopic(run.deadLetterTopic()).groupId(TestTopics.unique("scrape_group"))
                    .influxUrl(influx.url()).influxDatabase(run.database()).bounded(true).parallelism(2).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            AggregationJob.configure(env, config);
            AggregationJob.build(env, config);
            env.execute("scrape-aggregation");

            Map<String, Long> samplesInInflux = new HashMap<>();
            for (Map<String, Object> p : chipPoints(influx.url(), run.database())) {
                String chip = (String) p.get("chip");
                double[] v = SERVED.get(chip);
                assertThat(v).as("a point for a chip that was served: %s", chip).isNotNull();
                // Means are sums over counts: exact up to the last bit of the division; maxima are exact.
                assertThat((Double) p.get("util_mean")).as("util_mean of %s", chip).isCloseTo(v[0], within(1e-9));
                assertThat((Double) p.get("util_max")).isEqualTo(v[0]);
                assertThat((Double) p.get("temp_mean")).isCloseTo(v[1], within(1e-9));
                assertThat((Double) p.get("temp_max")).isEqualTo(v[1]);
                assertThat((Double) p.get("power_mean")).as("power_mean of %s", chip).isCloseTo(v[2], within(1e-9));
                assertThat((Double) p.get("power_max")).isEqualTo(v[2]);
                assertThat(p.get("link_latency_us_p50")).as("no links, no latency").isNull();
                assertThat(p.get("node")).isEqualTo(chip.substring(0, chip.length() - 4));
                assertThat(p.get("rack")).isEqualTo(chip.substring(0, 7));
                assertThat(p.get("pod")).isEqualTo("p00");
                assertThat(((Number) p.get("time")).longValue() % WINDOW_MS).isZero();
                samplesInInflux.merge(chip, ((Number) p.get("samples")).longValue(), Long::sum);
            }
            assertThat(samplesInInflux).as("every published sample counted once").isEqualTo(perChip);

            List<Anomaly> events = readAnomalies(kafka, anomalies);
            String deadUrl = "http://127.0.0.1:" + dead + "/metrics";
            assertThat(events).as("one source-down event, for the target that never answered").isNotEmpty()
                    .allMatch(a -> a.type() == AnomalyType.TELEMETRY_SILENT && a.entity().equals(deadUrl)
                            && "p00-r01-n01".equals(a.tags().get("node")));
            assertThat(events.get(0).isOpen()).isTrue();
            assertThat(events.get(0).detail()).contains("connection refused");
        } finally {
            servers.forEach(s -> s.stop(0));
        }
    }

    /** A dcgm-exporter body for a node's GPUs, as dcgm-exporter writes it; a GPU not in SERVED reads NaN utilisation. */
    private static String exporter(String host, String node, int gpus) {
        StringBuilder b = new StringBuilder();
        String[][] fields = {{"DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz)."},
                {"DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C)."}, {"DCGM_FI_DEV_POWER_USAGE", "Power draw (in W)."},
                {"DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %)."}};
        for (String[] f : fields) {
            b.append("# HELP ").append(f[0]).append(' ').append(f[1]).append("\n# TYPE ").append(f[0]).append(" gauge\n");
            for (int gpu = 0; gpu < gpus; gpu++) {
                double[] v = SERVED.get(node + "-c0" + gpu);
                double value = switch (f[0]) {
                    case "DCGM_FI_DEV_GPU_UTIL" -> v == null ? Double.NaN : v[0];
                    case "DCGM_FI_DEV_GPU_TEMP" -> v == null ? 40 : v[1];
                    case "DCGM_FI_DEV_POWER_USAGE" -> v == null ? 100 : v[2];
                    default -> 1980;
                };
                b.append(f[0]).append("{gpu=\"").append(gpu).append("\",UUID=\"GPU-").append(host).append('-')
                        .append(gpu).append("\",pci_bus_id=\"00000000:0").append(gpu).append(":00.0\",device=\"nvidia")
                        .append(gpu).append("\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"").append(host)
                        .append("\",DCGM_FI_DRIVER_VERSION=\"550.54.15\"} ")
                        .append(Double.isNaN(value) ? "NaN" : String.valueOf(value)).append('\n');
            }
        }
        return b.toString();
    }

    private static String group(int port, String rack, String node) {
        return "{\"targets\": [\"127.0.0.1:" + port + "\"], \"labels\": {\"pod\": \"p00\", \"rack\": \"" + rack
                + "\", \"node\": \"" + node + "\"}}";
    }

    private static int serve(List<HttpServer> servers, String path, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    /** Polls the collector's /metrics until the broker acknowledged {@code samples}; returns the last scrape. */
    private static String awaitAcknowledged(CollectorCommand collector, CompletableFuture<Integer> exit, int samples)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(exit).as("the collector is still running").isNotDone();
            String url = collector.controlUrl();
            if (url != null) {
                String body = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (String line : body.lines().toList()) {
                    if (line.startsWith("chipwatch_collector_samples_acknowledged_total")
                            && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= samples) {
                        return body;
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the collector did not get " + samples + " samples acknowledged in 90 s");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaService kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, TestTopics.unique("scrape_reader"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            // Until two polls in a row bring nothing once records came (or 20 s of nothing at all).
            int quiet = 0;
            int polls = 0;
            while (quiet < 2 && polls++ < 10) {
                int before = out.size();
                c.poll(Duration.ofSeconds(2)).forEach(out::add);
                quiet = out.isEmpty() || out.size() > before ? 0 : quiet + 1;
            }
        }
        return out;
    }

    private static List<ChipSample> readSamples(KafkaService kafka, String topic) throws Exception {
        ChipSampleCodec codec = new ChipSampleCodec();
        List<ChipSample> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(kafka, topic)) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    private static List<Anomaly> readAnomalies(KafkaService kafka, String topic) throws Exception {
        AnomalyCodec codec = new AnomalyCodec();
        List<Anomaly> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(kafka, topic)) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    private static List<Map<String, Object>> chipPoints(String url, String database) {
        List<Map<String, Object>> points = new ArrayList<>();
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult result = client.query(new Query("SELECT * FROM chip", database), TimeUnit.MILLISECONDS);
            assertThat(result.getResults().get(0).getError()).isNull();
            QueryResult.Series series = result.getResults().get(0).getSeries().get(0);
            for (List<Object> values : series.getValues()) {
                Map<String, Object> point = new HashMap<>();
                for (int i = 0; i < series.getColumns().size(); i++) {
                    point.put(series.getColumns().get(i), values.get(i));
                }
                points.add(point);
            }
        }
        return points;
    }
}
