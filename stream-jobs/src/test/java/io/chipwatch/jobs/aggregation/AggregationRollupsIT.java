package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Resolution;
import io.chipwatch.jobs.sink.influx.CapacityPointToPoint;
import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.PipelineTopics;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.chipwatch.jobs.testing.ItSupport.byTagAndTime;
import static io.chipwatch.jobs.testing.ItSupport.number;
import static io.chipwatch.jobs.testing.ItSupport.points;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every measurement the aggregation job writes, read back from a real InfluxDB after a bounded run over a real Kafka
 * topic, against values computed independently from the samples ({@link ExpectedAggregates}): chip and link points,
 * the node, rack, pod, cluster and job roll-ups (exact; latency percentiles within the sketch's stated precision of
 * the exact nearest-rank percentile), and the 1-minute and 1-hour capacity points in their retention policies.
 */
@RealInfrastructure
class AggregationRollupsIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    private static final List<Level> ROLLUP_LEVELS = List.of(Level.NODE, Level.RACK, Level.POD, Level.CLUSTER);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void writesExactRollupsLinksAndCapacityIntoTheirRetentionPolicies(KafkaService kafka, InfluxService influx)
            throws Exception {
        PipelineTopics run = PipelineTopics.create(kafka, "rollup", 3);
        ItSupport.produce(kafka.bootstrapServers(), run.topic(), RollupScenario.records(0, RollupScenario.SECONDS));

        AggregationJobConfig config = AggregationJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", run.topic(), "--dead-letter-topic", run.deadLetterTopic(),
                "--group-id", TestTopics.unique("rollups"), "--influx-url", influx.url(), "--influx-db", run.database(),
                "--bounded", "--parallelism", "2", "--checkpoint-interval-ms", "1000", "--cluster-name", "lab"});
        StreamExecutionEnvironment env = JobRuns.built(config, AggregationJob::build);
        env.execute(AggregationJob.JOB_NAME);

        String url = influx.url();
        List<ChipSample> samples = RollupScenario.samples();
        assertThat(ItSupport.retentionPolicies(url, run.database()))
                .containsEntry("raw_7d", List.of("168h0m0s", true))
                .containsEntry("capacity_90d", List.of("2160h0m0s", false))
                .containsEntry("capacity_3y", List.of("26280h0m0s", false));

        assertChips(samples, byTagAndTime(points(url, run.database(), "raw_7d", "chip"), "chip"));
        assertLinks(samples, points(url, run.database(), "raw_7d", "link"));
        for (Level level : ROLLUP_LEVELS) {
            assertRollups(samples, level, points(url, run.database(), "raw_7d", level.label()));
        }
        assertJobs(samples, byTagAndTime(points(url, run.database(), "raw_7d", "job"), "job"));
        for (Resolution resolution : List.of(Resolution.MINUTE, Resolution.HOUR)) {
            String policy = resolution == Resolution.MINUTE ? "capacity_90d" : "capacity_3y";
            for (Level level : List.of(Level.CHIP, Level.NODE, Level.RACK, Level.POD, Level.CLUSTER, Level.JOB)) {
                assertCapacity(samples, level, resolution,
                        points(url, run.database(), policy, CapacityPointToPoint.measurement(level, resolution)));
            }
        }
        assertThat(ItSupport.readAll(kafka.bootstrapServers(), run.deadLetterTopic())).as("dead letters").isEmpty();
    }

    private static void assertChips(List<ChipSample> samples, Map<String, Map<String, Object>> actual) {
        Map<String, ExpectedAggregates.Chip> expected = ExpectedAggregates.chips(samples);
        // 32 chips x 12 windows, less chip 5's silent window.
        assertThat(expected).hasSize(32 * 12 - 1);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, e) -> {
            Map<String, Object> p = actual.get(key);
            assertThat(number(p, "samples")).as("samples of %s", key).isEqualTo(e.samples());
            assertThat(number(p, "util_mean")).as("util_mean of %s", key).isEqualTo(e.utilMean());
            assertThat(number(p, "util_max")).as("util_max of %s", key).isEqualTo(e.utilMax());
            assertThat(number(p, "temp_max")).as("temp_max of %s", key).isEqualTo(e.tempMax());
            assertThat(number(p, "power_mean")).as("power_mean of %s", key).isEqualTo(e.powerMean());
            assertThat(p.get("job")).as("job of %s", key).isEqualTo(e.job());
            assertThat(p.get("node")).isEqualTo(e.node());
            double[] latencies = e.latencies().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            assertThat(number(p, "link_latency_us_max")).as("link max of %s", key)
                    .isEqualTo(latencies[latencies.length - 1]);
            ExpectedAggregates.assertSketchPercentile(number(p, "link_latency_us_p50"),
                    ExpectedAggregates.nearestRank(latencies, 50), "link p50 of " + key);
            ExpectedAggregates.assertSketchPercentile(number(p, "link_latency_us_p99"),
                    ExpectedAggregates.nearestRank(latencies, 99), "link p99 of " + key);
        });
    }

    /**
     * Link points: every link in the windows that start on a minute (T0 is on the hour), and in the other windows the
     * links whose max is at least 4 x nominal (1.9 µs intra, 3.8 µs fabric: the scenario's x10-29 spikes) or that
     * missed readings (none here).
     */
    private static void assertLinks(List<ChipSample> samples, List<Map<String, Object>> rows) {
        Map<String, ExpectedAggregates.Link> all = ExpectedAggregates.links(samples);
        assertThat(all).hasSize((32 * 12 - 1) * 4);
        Map<String, ExpectedAggregates.Chip> chips = ExpectedAggregates.chips(samples);
        Map<String, ExpectedAggregates.Link> expected = new HashMap<>();
        all.forEach((key, e) -> {
            boolean onTheMinute = e.windowStart() % 60_000 == 0;
            boolean slow = e.max() >= 4 * ("fabric".equals(e.kind()) ? 3.8 : 1.9);
            boolean missing = e.samples() < chips.get(e.chip() + "@" + e.windowStart()).samples();
            if (onTheMinute || slow || missing) {
                expected.put(key, e);
            }
        });
        long unhealthyElsewhere = expected.values().stream().filter(e -> e.windowStart() % 60_000 != 0).count();
        assertThat(unhealthyElsewhere).as("spiking links outside the minute windows").isBetween(20L, 600L);
        Map<String, Map<String, Object>> actual = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String key = row.get("link") + "|" + row.get("chip") + "@" + row.get("time");
            assertThat(actual.put(key, row)).as("one point per link, chip and window: %s", key).isNull();
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, e) -> {
            Map<String, Object> p = actual.get(key);
            assertThat(number(p, "samples")).as("samples of %s", key).isEqualTo(e.samples());
            assertThat(number(p, "latency_us_mean")).as("mean of %s", key).isEqualTo(e.mean());
            assertThat(number(p, "latency_us_max")).as("max of %s", key).isEqualTo(e.max());
            ExpectedAggregates.assertSketchPercentile(number(p, "latency_us_p99"), e.exactP99(), "p99 of " + key);
            assertThat(List.of(p.get("peer"), p.get("kind"), p.get("node"), p.get("rack"), p.get("pod")))
                    .isEqualTo(List.of(e.peer(), e.kind(), e.node(), e.rack(), e.pod()));
        });
    }

    private static void assertRollups(List<ChipSample> samples, Level level, List<Map<String, Object>> rows) {
        String tag = level == Level.CLUSTER ? null : level.label();
        Map<String, Map<String, Object>> actual = byTagAndTime(rows, tag);
        Map<String, ExpectedAggregates.Rollup> expected = ExpectedAggregates.rollups(samples, level);
        assertThat(actual.keySet()).as("%s points", level).isEqualTo(expected.keySet());
        expected.forEach((key, e) -> {
            Map<String, Object> p = actual.get(key);
            assertThat(number(p, "chips_reporting")).as("chips_reporting of %s", key).isEqualTo(e.chips());
            assertThat(number(p, "util_mean")).as("util_mean of %s", key).isEqualTo(e.utilMean());
            assertThat(number(p, "util_max")).as("util_max of %s", key).isEqualTo(e.utilMax());
            assertThat(number(p, "temp_max")).as("temp_max of %s", key).isEqualTo(e.tempMax());
            assertThat(number(p, "power_sum")).as("power_sum of %s", key).isEqualTo(e.powerSum());
            ExpectedAggregates.assertSketchPercentile(number(p, "link_latency_us_p50"), e.exactPercentile(50),
                    "link p50 of " + key);
            ExpectedAggregates.assertSketchPercentile(number(p, "link_latency_us_p99"), e.exactPercentile(99),
                    "link p99 of " + key);
        });
        if (level == Level.NODE) {
            assertThat(actual).allSatisfy((key, p) -> assertThat(p.get("rack")).isNotNull());
        }
        if (level == Level.CLUSTER) {
            assertThat(rows).allSatisfy(p -> assertThat(p.get("cluster")).isEqualTo("lab"));
        }
    }

    private static void assertJobs(List<ChipSample> samples, Map<String, Map<String, Object>> actual) {
        Map<String, ExpectedAggregates.Rollup> expected = ExpectedAggregates.rollups(samples, Level.JOB);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, e) -> {
            Map<String, Object> p = actual.get(key);
            assertThat(number(p, "chips")).as("chips of %s", key).isEqualTo(e.chips());
            assertThat(number(p, "util_mean")).as("util_mean of %s", key).isEqualTo(e.utilMean());
            assertThat(number(p, "util_min")).as("util_min of %s", key).isEqualTo(e.utilMin());
            assertThat(number(p, "power_sum")).as("power_sum of %s", key).isEqualTo(e.powerSum());
        });
    }

    private static void assertCapacity(List<ChipSample> samples, Level level, Resolution resolution,
                                       List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> actual = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String series = switch (level) {
                case CHIP -> row.get("chip") + "|" + (row.get("job") == null ? "" : row.get("job"));
                case CLUSTER -> "cluster";
                default -> (String) row.get(level.label());
            };
            assertThat(actual.put(series + "@" + row.get("time"), row)).as("one point per series and time").isNull();
        }
        Map<String, ExpectedAggregates.Capacity> expected =
                ExpectedAggregates.capacity(samples, level, resolution.duration().toMillis());
        assertThat(actual.keySet()).as("%s %s points", level, resolution).isEqualTo(expected.keySet());
        // Chip means are exact; a roll-up's 10-second util_mean can be a rounded quotient (say 7 chips reporting),
        // and an hour adds its minutes' sums rather than the 10-second values one by one.
        double tolerance = level == Level.CHIP ? 0 : 1e-9;
        expected.forEach((key, e) -> {
            Map<String, Object> p = actual.get(key);
            assertThat(number(p, "points")).as("points of %s", key).isEqualTo(e.points());
            assertThat(number(p, "util_mean")).as("util_mean of %s", key).isCloseTo(e.utilMean(), within(tolerance));
            assertThat(number(p, "util_max")).as("util_max of %s", key).isEqualTo(e.utilMax());
            String power = level == Level.CHIP ? "power_mean" : "power_sum";
            assertThat(number(p, power)).as("%s of %s", power, key).isCloseTo(e.power(), within(tolerance));
            assertThat(number(p, level == Level.CHIP ? "samples" : "chips")).as("count of %s", key)
                    .isEqualTo(e.count());
        });
    }
}
