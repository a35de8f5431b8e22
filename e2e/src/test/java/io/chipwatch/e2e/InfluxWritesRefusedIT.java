package io.chipwatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.alerting.pathwatch.InfluxPing;
import io.chipwatch.alerting.pathwatch.InfluxWriteProbe;
import io.chipwatch.alerting.pathwatch.PathWatch;
import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.collector.sim.TransportNoise;
import io.chipwatch.jobs.aggregation.AggregationJob;
import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.PipelineTopics;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * InfluxDB refusing the aggregation job's writes while its {@code /ping} answers, on real components: samples from
 * the simulator, in real time, through the real Kafka broker into the aggregation job on a Flink MiniCluster (its
 * REST API on a free port) writing to a real InfluxDB. The job's raw retention policy is dropped: every write of
 * the chip, link and roll-up sinks fails ({@code retention policy not found}) and is retried, while InfluxDB
 * answers {@code /ping}. The path watch, with {@link InfluxPing} and {@link InfluxWriteProbe} as the alerting
 * service wires them, must open exactly one {@code influxdb} anomaly naming the write error within the limit (30 s,
 * the default, from the first failing write the probe sees); once the policy is back it must close it.
 */
@ExtendWith(RealInfrastructureExtension.class)
class InfluxWritesRefusedIT {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxWritesRefusedIT.class);
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int CHIPS = 64;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(fetchEverySecond())
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static Configuration fetchEverySecond() {
        Configuration conf = new Configuration();
        // The REST API's metrics are at most this old (Flink's default is 10 s).
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        return conf;
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void refusedWritesAreOneInfluxdbAlertNamingTheErrorAndItClearsOnceWritesSucceed(
            KafkaService kafka, InfluxService influx, @InjectMiniCluster MiniCluster cluster) throws Exception {
        long started = System.nanoTime();
        PipelineTopics run = PipelineTopics.create(kafka, "influx_writes", 2);
        String database = run.database();
        String rest = cluster.getRestAddress().get().toString();

        ScheduledExecutorService samples = Executors.newSingleThreadScheduledExecutor();
        KafkaSamplePublisher publisher = KafkaSamplePublisher.builder().bootstrapServers(kafka.bootstrapServers())
                .topic(run.topic()).build();
        assertThat(publisher.awaitReady(Duration.ofSeconds(30))).isTrue();
        long now = System.currentTimeMillis();
        ClusterSimulator simulator = new ClusterSimulator(SimulationConfig.builder().chips(CHIPS).seed(20261204L)
                .startMillis(now / 1000 * 1000)
                .imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE)).build());
        // One tick a second: event time keeps up with the wall clock, windows close and the sinks write.
        samples.scheduleAtFixedRate(() -> simulator.tick(publisher::publish), 0, 1, TimeUnit.SECONDS);

        AggregationJobConfig config = AggregationJobConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topic(run.topic())
                .deadLetterTopic(run.deadLetterTopic())
                .groupId(TestTopics.unique("influx_writes_group"))
                .influxUrl(influx.url())
                .influxDatabase(database)
                .parallelism(2)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AggregationJob.configure(env, config);
        AggregationJob.build(env, config);
        JobClient job = env.executeAsync(AggregationJob.JOB_NAME);

        List<Anomaly> raised = new CopyOnWriteArrayList<>();
        InfluxWriteProbe writes = new InfluxWriteProbe(rest, LIMIT);
        try (PathWatch watch = new PathWatch(List.of(writes, new InfluxPing(influx.url(), Duration.ofSeconds(15))),
                anomalies -> {
                    raised.addAll(anomalies);
                    return CompletableFuture.completedFuture(null);
                }, List.of(), Clock.systemUTC())) {
            await("the job's first chip points", Duration.ofMinutes(2),
                    () -> count(influx.url(), database, "raw_7d", "chip") > 0);
            LOG.info("the sinks' metrics in the REST API: {}", sinkMetricIds(rest));
            watch.start(Duration.ofSeconds(1));
            Thread.sleep(5_000);
            assertThat(raised).as("nothing wrong while the writes succeed").isEmpty();

            long broken = System.currentTimeMillis();
            assertThat(query(influx.url(), "DROP RETENTION POLICY \"raw_7d\" ON \"" + database + "\""))
                    .doesNotContain("\"error\"");
            assertThat(ping(influx.url())).as("InfluxDB answers /ping").isEqualTo(204);
            await("the influxdb anomaly", LIMIT.plusSeconds(25), () -> !raised.isEmpty());
            long detected = System.currentTimeMillis();
            LOG.info("writes refused at {}, the influxdb anomaly {} ms later: {}", broken, detected - broken,
                    raised.get(0).detail());
            assertThat(raised).singleElement().satisfies(a -> {
                assertThat(a.entity()).isEqualTo("influxdb");
                assertThat(a.state()).isEqualTo(AnomalyState.OPEN);
                assertThat(a.detail()).startsWith("InfluxDB rejects the aggregation job's writes for ")
                        .contains("retention policy not found: raw_7d");
            });
            // It failed for the limit after the probe first saw it fail; that was after the drop.
            assertThat(detected - broken).isGreaterThanOrEqualTo(LIMIT.toMillis());
            assertThat(ping(influx.url())).isEqualTo(204);

            // Restored as the job made it: the writes being retried succeed and the alert closes.
            assertThat(query(influx.url(), "CREATE RETENTION POLICY \"raw_7d\" ON \"" + database
                    + "\" DURATION 168h REPLICATION 1 DEFAULT")).doesNotContain("\"error\"");
            long restored = System.currentTimeMillis();
            await("the influxdb anomaly closed", Duration.ofSeconds(45), () -> raised.size() > 1);
            LOG.info("policy restored, the anomaly closed {} ms later", System.currentTimeMillis() - restored);
            assertThat(raised).hasSize(2);
            assertThat(raised.get(1).entity()).isEqualTo("influxdb");
            assertThat(raised.get(1).state()).isEqualTo(AnomalyState.CLOSED);
            assertThat(raised.get(1).id()).isEqualTo(raised.get(0).id());
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
            samples.shutdownNow();
            publisher.close();
            job.cancel().get();
            LOG.info("InfluxWritesRefusedIT took {} s", (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int ping(String influx) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(influx + "/ping")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String query(String influx, String statement) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(influx + "/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(statement,
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long count(String influx, String database, String policy, String measurement) {
        try {
            String answer = get(influx + "/query?db=" + database + "&q=" + URLEncoder.encode("SELECT count(samples)"
                    + " FROM \"" + database + "\".\"" + policy + "\".\"" + measurement + "\"", StandardCharsets.UTF_8));
            int at = answer.indexOf("\"values\":[[");
            if (at < 0) {
                return 0;
            }
            String row = answer.substring(at + 11, answer.indexOf("]]", at));
            return Long.parseLong(row.substring(row.indexOf(',') + 1).trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** What the vertices' metric listings hold of the Influx sinks (logged: the ids the probe reads). */
    private static String sinkMetricIds(String rest) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        for (JsonNode job : JSON.readTree(get(rest + "/jobs")).path("jobs")) {
            String id = job.path("id").asText();
            for (JsonNode vertex : JSON.readTree(get(rest + "/jobs/" + id)).path("vertices")) {
                out.append('[').append(vertex.path("name").asText()).append("]: ");
                for (JsonNode metric : JSON.readTree(get(rest + "/jobs/" + id + "/vertices/"
                        + vertex.path("id").asText() + "/metrics"))) {
                    String metricId = metric.path("id").asText();
                    if (metricId.contains("influx")) {
                        out.append(metricId).append(' ');
                    }
                }
            }
        }
        return out.toString();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
