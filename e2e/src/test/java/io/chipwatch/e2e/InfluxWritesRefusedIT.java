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
import io.chipwatch.infra.InfluxDbUsers;
import io.chipwatch.infra.LocalInfluxDb;
import io.chipwatch.jobs.aggregation.AggregationJob;
import io.chipwatch.jobs.aggregation.AggregationJobArguments;
import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.jobs.sink.influx.InfluxDbJavaClient;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.influx.InfluxCredentials;
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
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * REST API on a free port) writing to a real InfluxDB. The path watch, with {@link InfluxPing} and
 * {@link InfluxWriteProbe} as the alerting service wires them, must open exactly one {@code influxdb} anomaly naming
 * the write error within the limit (30 s, the default, from the first failing write the probe sees), and close it
 * once writes succeed again. Twice: the job's raw retention policy dropped (every chip, link and roll-up write fails
 * with {@code retention policy not found} and is retried: the sinks' gauges tell), and, on an InfluxDB with auth as
 * the stack runs it, the writer's write privilege revoked ({@code not authorized}: not retried, the job fails at
 * once and restarts over and over: its exception history tells).
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
    void writesToADroppedRetentionPolicyAreOneInfluxdbAlertNamingTheErrorAndItClearsOnceWritesSucceed(
            KafkaService kafka, InfluxService influx, @InjectMiniCluster MiniCluster cluster) throws Exception {
        PipelineTopics run = PipelineTopics.create(kafka, "influx_writes", 2);
        String db = run.database();
        // Retried by the sink (a minute per write), so its gauges show the error while the job runs on.
        scenario(kafka, run, influx.url(), Optional.empty(), Optional.empty(), cluster,
                "DROP RETENTION POLICY \"raw_7d\" ON \"" + db + "\"",
                "CREATE RETENTION POLICY \"raw_7d\" ON \"" + db + "\" DURATION 168h REPLICATION 1 DEFAULT",
                "retention policy not found: raw_7d", Duration.ofSeconds(45));
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void writesOfAWriterWhoseGrantWasRevokedAreOneInfluxdbAlertNamingTheErrorAndItClearsOnceGrantedAgain(
            KafkaService kafka, @InjectMiniCluster MiniCluster cluster, @TempDir Path tmp) throws Exception {
        PipelineTopics run = PipelineTopics.create(kafka, "influx_grant", 2);
        String db = run.database();
        // As the local stack runs it: auth enabled, the job writes as chipwatch_writer (ALL on the database only).
        LocalInfluxDb influx = LocalInfluxDb.builder().dataDir(tmp.resolve("influx")).authEnabled(true).build().start();
        try {
            InfluxDbUsers.Files files = InfluxDbUsers.Files.in(tmp.resolve("secrets"));
            InfluxCredentials admin = InfluxDbUsers.bootstrap(influx.url(), db, files);
            try (InfluxDbJavaClient client = new InfluxDbJavaClient(influx.url(), Optional.of(admin))) {
                client.ensureRetentionPolicies(db, AggregationJobConfig.builder().bootstrapServers("x:1")
                        .topic("t").influxUrl(influx.url()).influxDatabase(db).build().retentionPolicies());
            }
            String writer = InfluxCredentials.read(files.writer()).user();
            // Not retried (retrying cannot help): the job fails at each attempt and restarts with fresh metrics,
            // named from its exception history; after the grant the next restart (its backoff grows) writes.
            scenario(kafka, run, influx.url(), Optional.of(admin), Optional.of(files.writer()), cluster,
                    "REVOKE WRITE ON \"" + db + "\" FROM \"" + writer + "\"",
                    "GRANT ALL ON \"" + db + "\" TO \"" + writer + "\"",
                    "user is not authorized to write to database", Duration.ofSeconds(90));
        } finally {
            influx.stop();
        }
    }

    /**
     * Samples flowing, the job writing; then {@code breakIt} as the admin: exactly one influxdb anomaly naming
     * {@code error} within the limit (and not before it) while /ping answers; then {@code restore}: it closes
     * within {@code clearsWithin}.
     */
    private static void scenario(KafkaService kafka, PipelineTopics run, String influxUrl,
                                 Optional<InfluxCredentials> admin, Optional<Path> writerFile, MiniCluster cluster,
                                 String breakIt, String restore, String error, Duration clearsWithin)
            throws Exception {
        long started = System.nanoTime();
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

        AggregationJobArguments args = AggregationJobConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topic(run.topic())
                .deadLetterTopic(run.deadLetterTopic())
                .groupId(TestTopics.unique("influx_writes_group"))
                .influxUrl(influxUrl)
                .influxDatabase(database)
                .parallelism(2);
        writerFile.ifPresent(args::influxCredentialsFile);
        AggregationJobConfig config = args.build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AggregationJob.configure(env, config);
        AggregationJob.build(env, config);
        JobClient job = env.executeAsync(AggregationJob.JOB_NAME);

        List<Anomaly> raised = new CopyOnWriteArrayList<>();
        InfluxWriteProbe writes = new InfluxWriteProbe(rest, LIMIT);
        try (PathWatch watch = new PathWatch(List.of(writes, new InfluxPing(influxUrl, Duration.ofSeconds(15))),
                anomalies -> {
                    raised.addAll(anomalies);
                    return CompletableFuture.completedFuture(null);
                }, List.of(), Clock.systemUTC())) {
            await("the job's first chip points", Duration.ofMinutes(2),
                    () -> count(influxUrl, admin, database, "raw_7d", "chip") > 0);
            LOG.info("the sinks' metrics in the REST API: {}", sinkMetricIds(rest));
            watch.start(Duration.ofSeconds(1));
            Thread.sleep(5_000);
            assertThat(raised).as("nothing wrong while the writes succeed").isEmpty();

            long broken = System.currentTimeMillis();
            assertThat(InfluxDbUsers.query(influxUrl, admin, breakIt).ok()).as(breakIt).isTrue();
            await("the influxdb anomaly", LIMIT.plusSeconds(25), () -> !raised.isEmpty());
            long detected = System.currentTimeMillis();
            LOG.info("{}: the influxdb anomaly {} ms later: {}", breakIt, detected - broken, raised.get(0).detail());
            LOG.info("the job's exception history: {}", exceptionHistory(rest));
            assertThat(raised).singleElement().satisfies(a -> {
                assertThat(a.entity()).isEqualTo("influxdb");
                assertThat(a.state()).isEqualTo(AnomalyState.OPEN);
                assertThat(a.detail()).startsWith("InfluxDB rejects the aggregation job's writes for ")
                        .contains(error);
            });
            // It failed for the limit after the probe first saw it fail; that was after the break.
            assertThat(detected - broken).isGreaterThanOrEqualTo(LIMIT.toMillis());
            assertThat(ping(influxUrl)).as("InfluxDB answers /ping").isEqualTo(204);

            assertThat(InfluxDbUsers.query(influxUrl, admin, restore).ok()).as(restore).isTrue();
            long restored = System.currentTimeMillis();
            await("the influxdb anomaly closed", clearsWithin, () -> raised.size() > 1);
            LOG.info("{}: the anomaly closed {} ms later", restore, System.currentTimeMillis() - restored);
            assertThat(raised).hasSize(2);
            assertThat(raised.get(1).entity()).isEqualTo("influxdb");
            assertThat(raised.get(1).state()).isEqualTo(AnomalyState.CLOSED);
            assertThat(raised.get(1).id()).isEqualTo(raised.get(0).id());
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
            samples.shutdownNow();
            publisher.close();
            job.cancel().get();
            LOG.info("scenario {} took {} s", breakIt, (System.nanoTime() - started) / 1_000_000_000);
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

    private static long count(String influx, Optional<InfluxCredentials> credentials, String database,
                              String policy, String measurement) {
        try {
            String answer = InfluxDbUsers.query(influx, credentials, "SELECT count(samples) FROM \"" + database
                    + "\".\"" + policy + "\".\"" + measurement + "\"").body();
            int at = answer.indexOf("\"values\":[[");
            if (at < 0) {
                return 0;
            }
            String row = answer.substring(at + 11, answer.indexOf("]]", at));
            return Long.parseLong(row.substring(row.indexOf(',') + 1).trim());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The job's exception history as Flink's REST API gives it (logged). */
    private static String exceptionHistory(String rest) throws IOException, InterruptedException {
        for (JsonNode job : JSON.readTree(get(rest + "/jobs")).path("jobs")) {
            if (job.path("status").asText().equals("RUNNING") || job.path("status").asText().equals("RESTARTING")) {
                String answer = get(rest + "/jobs/" + job.path("id").asText() + "/exceptions?maxExceptions=2");
                return answer.length() > 4000 ? answer.substring(0, 4000) : answer;
            }
        }
        return "(no running job)";
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
