package io.chipwatch.dashboards;

import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.publish.SampleBuffer;
import io.chipwatch.collector.publish.SimulationRun;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.collector.sim.TransportNoise;
import io.chipwatch.jobs.aggregation.AggregationJob;
import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.infra.metrics.SelfMetricsTarget;
import io.chipwatch.jobs.metrics.PipelineMetrics;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.PipelineTopics;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One InfluxDB database filled by the real pipeline, shared by the dashboard ITs of a JVM: a seeded simulation
 * (2 pods, 4 racks, 16 nodes, 128 chips, 40 s) published to the real Kafka, the real {@link AggregationJob} run
 * bounded on a local Flink MiniCluster with the jobs' metric reporter (so the {@code pipeline_*} self-metrics are
 * the real ones too), writing to the real InfluxDB.
 *
 * <p>Whatever the pipeline does not write yet is then <b>seeded</b>, with points of the storage contract
 * (CONTRACTS.md §3), and listed in {@link #seeded()}:
 * <ul>
 *   <li>{@code link}, {@code node}, {@code rack}, {@code pod}, {@code cluster}, {@code job}: only if the installed
 *       stream-jobs did not write them; {@code link} from the simulated samples, the roll-ups from the {@code chip}
 *       and {@code link} points with InfluxQL (power_sum = sum of power_mean, chips_reporting = chips with a point,
 *       util_mean = mean of the chips' util_mean, same timestamps);</li>
 *   <li>the capacity roll-ups ({@code capacity_90d.*_1m}, {@code capacity_3y.*_1h}): only if the pipeline wrote none,
 *       as InfluxQL means of the 10-second points, with the tags and fields stream-jobs' CapacityPointToPoint writes
 *       (chip_*: chip, node, rack, pod; util_mean, util_max, power_mean, samples, points; the other levels: the
 *       tags of their 10-second measurement; util_mean, util_max, power_sum, chips, points);</li>
 *   <li>{@code alert} and {@code anomaly}: always (no alerting or detection runs here), for the entities the
 *       drill-down dashboard picks by default, tags and fields exactly as CONTRACTS.md §3 lists them;</li>
 *   <li>{@code capacity_loss}: always (written by alerting's history check), as its {@code InfluxInsights} writes
 *       it: the chip-hours the default chip's straggling cost its job.</li>
 * </ul>
 * Last, the collector's and the alerting service's own meters ({@code chipwatch_collector_*},
 * {@code chipwatch_alerting_*}) are pushed by their real metrics classes, as the running services push them.
 */
final class PipelineFixture {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineFixture.class);

    static final ClusterShape SHAPE = new ClusterShape(8, 4, 2);
    static final int CHIPS = 128;
    static final int SECONDS = 40;
    static final long WINDOW_MS = 10_000;
    static final String RP_1M = "capacity_90d";
    static final String RP_1H = "capacity_3y";
    static final List<String> ROLLUPS = List.of("node", "rack", "pod", "cluster", "job");

    private static PipelineFixture shared;

    final String influxUrl;
    final String database;
    /** Event time of the first and last simulated sample. */
    final long dataStartMillis;
    final long dataEndMillis;
    /** The range the dashboards are queried over: from an hour before the data (its 1-hour bucket) to now. */
    final long fromMillis;
    /** The first pod, rack, node and chip, the way the drill-down's variables pick them; a link of the chip. */
    final Map<String, String> entities = new LinkedHashMap<>();
    private final Set<String> seeded = new LinkedHashSet<>();
    private final Set<String> writtenByPipeline = new LinkedHashSet<>();

    private PipelineFixture(String influxUrl, String database, long dataStartMillis) {
        this.influxUrl = influxUrl;
        this.database = database;
        this.dataStartMillis = dataStartMillis;
        this.dataEndMillis = dataStartMillis + (SECONDS - 1) * 1000L;
        this.fromMillis = dataStartMillis - 3_600_000L;
    }

    /**
     * The MiniCluster the dashboard ITs register ({@code @RegisterExtension}): one TaskManager with two slots. The
     * fixture's own job runs in an environment of its own (see {@link #build}).
     */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }

    /** The JVM's fixture, built at the first call (the caller's class must register a MiniClusterExtension). */
    static synchronized PipelineFixture get(KafkaService kafka, InfluxService influx) throws Exception {
        if (shared == null) {
            shared = build(kafka, influx);
        }
        return shared;
    }

    /** Measurements the test wrote itself because the pipeline does not (yet). */
    Set<String> seeded() {
        return Collections.unmodifiableSet(seeded);
    }

    Set<String> writtenByPipeline() {
        return Collections.unmodifiableSet(writtenByPipeline);
    }

    Influx influx() {
        return new Influx(influxUrl, database);
    }

    private static PipelineFixture build(KafkaService kafka, InfluxService influxService) throws Exception {
        long t0 = System.nanoTime();
        PipelineTopics run = PipelineTopics.create(kafka, "dashboards", 2);
        String topic = run.topic();
        String database = run.database();
        influxService.createDatabase(database);

        // Recent event time, as in e2e: within every retention policy of the storage contract. On a minute, so that
        // the first window is one where the job writes every link (its default --link-detail-interval-ms).
        long start = (System.currentTimeMillis() - 3_600_000L) / 60_000 * 60_000;
        // Every sample once and on time: the panels are checked against exactly what was published.
        SimulationConfig simulation = SimulationConfig.builder().chips(CHIPS).shape(SHAPE).seed(20261128L)
                .startMillis(start).imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE)).build();
        List<ChipSample> samples = SimulationRun.publishSimulated(simulation, SECONDS, kafka.bootstrapServers(), topic);

        AggregationJobConfig config = AggregationJobConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic)
                .deadLetterTopic(run.deadLetterTopic())
                .groupId(TestTopics.unique("dashboards_group"))
                .influxUrl(influxService.url())
                .influxDatabase(database)
                .bounded(true)
                .parallelism(2)
                // Checkpoints and self-metrics often enough that the short bounded run (a few seconds) has some of each
                // for the pipeline dashboard's panels (pipeline_job, pipeline_operator, pipeline_dead_letters). At 1 s
                // a run could end before a completed checkpoint's duration was reported (seen once in five runs).
                .checkpointInterval(Duration.ofMillis(250))
                .metricsInterval(Duration.ofMillis(250))
                .build();
        // A local environment of its own rather than the ITs' MiniClusterExtension: metric reporters belong to the
        // cluster, and the reporter's configuration (this InfluxDB) is only known here. The same configuration
        // JobEnvironment.create gives a local run.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config.job().parallelism().getAsInt(),
                PipelineMetrics.reporterConfiguration(config.influxUrl(), config.job().influxDatabase(),
                        config.job().metricsInterval()));
        AggregationJob.configure(env, config);
        AggregationJob.build(env, config);
        env.execute("dashboards-aggregation");

        PipelineFixture f = new PipelineFixture(influxService.url(), database, start);
        try (Influx influx = f.influx()) {
            f.writtenByPipeline.addAll(influx.values("SHOW MEASUREMENTS"));
            if (!f.writtenByPipeline.contains("chip")) {
                throw new IllegalStateException("the pipeline wrote no chip points into " + database);
            }
            f.seedMissing(influx, samples);
            f.pickEntities(influx);
            f.seedAlertsAndAnomalies(influx);
            f.pushSelfMetrics(kafka.bootstrapServers(), topic);
        }
        LOG.warn("Dashboard fixture ready in {} s: database {}, written by the pipeline {}, seeded by the test {}, "
                        + "entities {}", (System.nanoTime() - t0) / 1_000_000_000, database, f.writtenByPipeline,
                f.seeded, f.entities);
        return f;
    }

    /**
     * The collector's and the alerting service's own meters, as they push them (their real metrics classes and
     * {@code InfluxSelfMetrics}), for the pipeline dashboard's self-metrics panels.
     */
    private void pushSelfMetrics(String bootstrap, String topic) throws Exception {
        SelfMetricsTarget target = new SelfMetricsTarget(influxUrl, database, Optional.empty(), Duration.ofSeconds(1));
        CollectorMetrics collector = new CollectorMetrics();
        try (KafkaSamplePublisher publisher = KafkaSamplePublisher.builder().bootstrapServers(bootstrap).topic(topic)
                .build(); SampleBuffer buffer = new SampleBuffer(publisher, 100)) {
            collector.bind(publisher, buffer);
            AutoCloseable push = collector.pushTo(target, "0/1");
            collector.onTick(CHIPS, 2_000_000, 0);
            push.close();
        }
        AlertingMetrics alerting = new AlertingMetrics();
        AutoCloseable push = alerting.pushTo(target);
        alerting.notification("alertmanager", "success");
        alerting.anomaly("firing");
        alerting.gauge("alerts", "Alerts by status", "status", "firing").set(2);
        push.close();
    }

    private String range() {
        return "time >= " + dataStartMillis + "ms AND time < " + (dataEndMillis + WINDOW_MS) + "ms";
    }

    private void seedMissing(Influx influx, List<ChipSample> samples) {
        if (!writtenByPipeline.contains("link")) {
            influx.write(linkPoints(samples));
            seeded.add("link");
        }
        String roll = "mean(\"util_mean\") AS \"util_mean\", max(\"util_max\") AS \"util_max\", "
                + "max(\"temp_max\") AS \"temp_max\", sum(\"power_mean\") AS \"power_sum\", "
                + "count(\"util_mean\") AS \"chips_reporting\"";
        String latency = "percentile(\"latency_us_mean\", 50) AS \"link_latency_us_p50\", "
                + "percentile(\"latency_us_p99\", 99) AS \"link_latency_us_p99\"";
        Map<String, String> groupBy = Map.of("node", "\"node\", \"rack\", \"pod\"", "rack", "\"rack\", \"pod\"",
                "pod", "\"pod\"", "cluster", "");
        for (String level : List.of("node", "rack", "pod", "cluster")) {
            if (writtenByPipeline.contains(level)) {
                continue;
            }
            String tags = groupBy.get(level).isEmpty() ? "" : ", " + groupBy.get(level);
            influx.query("SELECT " + roll + " INTO \"" + level + "\" FROM \"chip\" WHERE " + range()
                    + " GROUP BY time(10s)" + tags);
            influx.query("SELECT " + latency + " INTO \"" + level + "\" FROM \"link\" WHERE " + range()
                    + " GROUP BY time(10s)" + tags);
            seeded.add(level);
        }
        if (!writtenByPipeline.contains("job")) {
            influx.query("SELECT mean(\"util_mean\") AS \"util_mean\", min(\"util_mean\") AS \"util_min\", "
                    + "max(\"util_mean\") AS \"util_max\", sum(\"power_mean\") AS \"power_sum\", "
                    + "count(\"util_mean\") AS \"chips\" INTO \"job\" FROM \"chip\" WHERE \"job\" != '' AND " + range()
                    + " GROUP BY time(10s), \"job\"");
            seeded.add("job");
        }
        seedCapacity(influx, RP_1M, "1m", "90d");
        seedCapacity(influx, RP_1H, "1h", "1095d");
    }

    private void seedCapacity(Influx influx, String rp, String resolution, String duration) {
        // SHOW RETENTION POLICIES has the name in its first column.
        List<String> rps = new ArrayList<>();
        for (var s : influx.series("SHOW RETENTION POLICIES")) {
            for (List<Object> row : s.getValues()) {
                rps.add(String.valueOf(row.get(0)));
            }
        }
        String suffix = "_" + resolution;
        boolean hasData = rps.contains(rp)
                && influx.count("SELECT count(\"util_mean\") FROM \"" + rp + "\".\"chip" + suffix + "\"") > 0;
        if (hasData) {
            writtenByPipeline.add(rp + ".*" + suffix);
            return;
        }
        if (!rps.contains(rp)) {
            influx.query("CREATE RETENTION POLICY \"" + rp + "\" ON \"" + database + "\" DURATION " + duration
                    + " REPLICATION 1");
        }
        // As stream-jobs' CapacityPointToPoint writes them: chip_* tagged chip, node, rack, pod (no job); the other
        // levels tagged as their 10-second measurement. Buckets are labelled with their start (the minute, the hour).
        String where = " WHERE " + range() + " GROUP BY time(" + resolution + ")";
        influx.query("SELECT mean(\"util_mean\") AS \"util_mean\", max(\"util_max\") AS \"util_max\", "
                + "mean(\"power_mean\") AS \"power_mean\", sum(\"samples\") AS \"samples\", "
                + "count(\"util_mean\") AS \"points\" INTO \"" + rp + "\".\"chip" + suffix + "\" FROM \"chip\"" + where
                + ", \"chip\", \"node\", \"rack\", \"pod\"");
        for (String level : ROLLUPS) {
            String chips = level.equals("job") ? "chips" : "chips_reporting";
            influx.query("SELECT mean(\"util_mean\") AS \"util_mean\", max(\"util_max\") AS \"util_max\", "
                    + "mean(\"power_sum\") AS \"power_sum\", max(\"" + chips + "\") AS \"chips\", "
                    + "count(\"util_mean\") AS \"points\" INTO \"" + rp + "\".\"" + level + suffix + "\" FROM \""
                    + level + "\"" + where + ", *");
        }
        seeded.add(rp + ".{chip,node,rack,pod,cluster,job}" + suffix);
    }

    /** The chip's links per 10-second window, as LinkWindowToPoint writes them (p99 by nearest rank). */
    private static List<Point> linkPoints(List<ChipSample> samples) {
        Map<String, List<Double>> latencies = new TreeMap<>();
        Map<String, String[]> tags = new HashMap<>();
        for (ChipSample s : samples) {
            long window = Math.floorDiv(s.timestampMillis(), WINDOW_MS) * WINDOW_MS;
            for (LinkLatency l : s.links()) {
                String key = l.link() + "|" + s.chip() + "|" + window;
                latencies.computeIfAbsent(key, k -> new ArrayList<>()).add(l.latencyUs());
                tags.putIfAbsent(key, new String[]{l.link(), s.chip(), l.peer(), s.node(), s.rack(), s.pod(),
                        l.kind().label(), Long.toString(window)});
            }
        }
        List<Point> points = new ArrayList<>();
        latencies.forEach((key, values) -> {
            String[] t = tags.get(key);
            List<Double> sorted = values.stream().sorted().toList();
            double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
            points.add(Point.measurement("link").time(Long.parseLong(t[7]), TimeUnit.MILLISECONDS)
                    .tag("link", t[0]).tag("chip", t[1]).tag("peer", t[2]).tag("node", t[3]).tag("rack", t[4])
                    .tag("pod", t[5]).tag("kind", t[6])
                    .addField("latency_us_mean", mean).addField("latency_us_p99", p99)
                    .addField("latency_us_max", sorted.get(sorted.size() - 1)).addField("samples", (long) sorted.size())
                    .build());
        });
        return points;
    }

    /** As Grafana picks them by default: the first value of each drill-down variable. */
    private void pickEntities(Influx influx) {
        String pod = first(influx, "SHOW TAG VALUES FROM \"rack\" WITH KEY = \"pod\"");
        String rack = first(influx, "SHOW TAG VALUES FROM \"node\" WITH KEY = \"rack\" WHERE \"pod\" = '" + pod + "'");
        String node = first(influx, "SHOW TAG VALUES FROM \"chip\" WITH KEY = \"node\" WHERE \"rack\" = '" + rack + "'");
        String chip = first(influx, "SHOW TAG VALUES FROM \"chip\" WITH KEY = \"chip\" WHERE \"node\" = '" + node + "'");
        String link = first(influx, "SHOW TAG VALUES FROM \"link\" WITH KEY = \"link\" WHERE \"chip\" = '" + chip + "'");
        String peer = first(influx, "SHOW TAG VALUES FROM \"link\" WITH KEY = \"peer\" WHERE \"link\" = '" + link
                + "' AND \"chip\" = '" + chip + "'");
        // The capacity dashboard's job variable: the first job with chips in that rack.
        String job = first(influx, "SHOW TAG VALUES FROM \"chip\" WITH KEY = \"job\" WHERE \"rack\" = '" + rack + "'");
        String jobChip = first(influx, "SHOW TAG VALUES FROM \"chip\" WITH KEY = \"chip\" WHERE \"job\" = '" + job
                + "' AND \"rack\" = '" + rack + "'");
        entities.put("job", job);
        entities.put("jobChip", jobChip);
        entities.put("pod", pod);
        entities.put("rack", rack);
        entities.put("node", node);
        entities.put("chip", chip);
        entities.put("link", link);
        entities.put("peer", peer);
    }

    private static String first(Influx influx, String showTagValues) {
        List<String> values = influx.values(showTagValues);
        if (values.isEmpty()) {
            throw new IllegalStateException("nothing for " + showTagValues);
        }
        return values.get(0);
    }

    /**
     * Alerts and anomalies as CONTRACTS.md §3 describes them, on the default entities: a chip overheating (still firing,
     * its anomaly open), a rack cooling failure (fired then resolved, its anomaly opened and closed) and a degraded
     * link (fired, then acknowledged: still active).
     */
    private void seedAlertsAndAnomalies(Influx influx) {
        String pod = entities.get("pod"), rack = entities.get("rack"), node = entities.get("node");
        String chip = entities.get("chip"), link = entities.get("link"), peer = entities.get("peer");
        long t1 = dataStartMillis + 5_000, t2 = dataStartMillis + 25_000;
        List<Point> points = new ArrayList<>();
        points.add(alert(t1, "ChipOverheating", "critical", "firing", "fp-overheat",
                "Chip " + chip + " overheating: 97.5 °C (limit 95 °C)",
                Map.of("pod", pod, "rack", rack, "node", node, "chip", chip)));
        points.add(alert(t1, "RackCoolingFailure", "critical", "firing", "fp-rack",
                "Rack " + rack + " cooling failure: 32 chips running hot", Map.of("pod", pod, "rack", rack)));
        points.add(alert(t2, "RackCoolingFailure", "critical", "resolved", "fp-rack",
                "Rack " + rack + " cooling failure: 32 chips running hot", Map.of("pod", pod, "rack", rack)));
        Map<String, String> linkTags = Map.of("pod", pod, "rack", rack, "node", node, "chip", chip, "link", link,
                "peer", peer);
        points.add(alert(t1, "LinkDegraded", "warning", "firing", "fp-link",
                "Link " + link + " degraded: p99 48 µs", linkTags));
        points.add(alert(t2, "LinkDegraded", "warning", "acknowledged", "fp-link",
                "Link " + link + " degraded: p99 48 µs", linkTags));
        points.add(anomaly(t1, "overheat", "critical", "chip", chip, "overheat:" + chip + ":" + t1, "open", 97.5, 95,
                "temp 97.5 °C > 95 °C, rising 1.1 °C/s", Map.of("pod", pod, "rack", rack, "node", node, "chip", chip)));
        points.add(anomaly(t1, "rack_cooling", "critical", "rack", rack, "rack_cooling:" + rack + ":" + t1, "open",
                14.2, 10, "32 chips 14.2 °C above normal", Map.of("pod", pod, "rack", rack)));
        points.add(anomaly(t2, "rack_cooling", "critical", "rack", rack, "rack_cooling:" + rack + ":" + t1, "closed",
                1.0, 10, "back to normal", Map.of("pod", pod, "rack", rack)));
        points.add(anomaly(t2, "link_degraded", "warning", "link", link, "link_degraded:" + link + ":" + t2, "open",
                48.0, 20, "p99 48 µs, baseline 4 µs",
                Map.of("pod", pod, "rack", rack, "node", node, "chip", chip, "link", link, "peer", peer)));
        // What the history check writes for a straggler of a 16-chip job at 0.75 of its peers for 10 s: a chip of the
        // job the capacity dashboard's job variable picks.
        String jobChip = entities.get("jobChip");
        points.add(Point.measurement("capacity_loss").time(t1, TimeUnit.MILLISECONDS)
                .tag("job", entities.get("job")).tag("node", jobChip.substring(0, jobChip.lastIndexOf('-')))
                .tag("chip", jobChip).tag("cause", "straggler")
                .addField("chip_hours", 10 / 3600.0 * 16 * 0.25).addField("hours", 10 / 3600.0)
                .addField("job_chips", 16L).build());
        influx.write(points);
        seeded.add("alert");
        seeded.add("anomaly");
        seeded.add("capacity_loss");
    }

    private static Point alert(long time, String alertname, String severity, String status, String fingerprint,
                               String summary, Map<String, String> hierarchy) {
        return Point.measurement("alert").time(time, TimeUnit.MILLISECONDS)
                .tag("alertname", alertname).tag("severity", severity).tag("status", status).tag(hierarchy)
                .addField("fingerprint", fingerprint).addField("summary", summary).build();
    }

    private static Point anomaly(long time, String type, String severity, String scope, String entity, String id,
                                 String state, double value, double threshold, String detail,
                                 Map<String, String> hierarchy) {
        return Point.measurement("anomaly").time(time, TimeUnit.MILLISECONDS)
                .tag("type", type).tag("severity", severity).tag("scope", scope).tag("entity", entity).tag(hierarchy)
                .addField("id", id).addField("state", state).addField("value", value)
                .addField("threshold", threshold).addField("detail", detail).build();
    }
}
