package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.datatypes.Resolution;
import io.chipwatch.jobs.datatypes.Rollup;
import io.chipwatch.jobs.functions.RollupKey;
import io.chipwatch.jobs.testing.CollectingSink;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.jobs.testing.RawRecords;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole data flow of {@link AggregationJob} on a MiniCluster, with in-memory records in place of Kafka and
 * collecting sinks in place of InfluxDB and the dead-letter topic: wiring, serialization (generic types are
 * disabled) and event time end to end, without any infrastructure. {@code AggregationJobIT} runs the same job
 * on a real Kafka and InfluxDB.
 */
class AggregationJobPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    @Test
    void aggregatesEveryChipAndWindowExactlyAndRoutesTheMalformedRecordToDeadLetters() throws Exception {
        // Two source subtasks, each reading a contiguous slice in order, like two Kafka partitions.
        DataGeneratorSource<RawRecord> source = RawRecords.source(HandMadeSamples.records());
        CollectingSink<ChipWindow> windows = new CollectingSink<>();
        CollectingSink<LinkWindow> links = new CollectingSink<>();
        CollectingSink<Rollup> rollups = new CollectingSink<>();
        CollectingSink<CapacityPoint> capacity = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        AggregationJobConfig config = AggregationJobConfig.builder()
                .bootstrapServers("unused:9092").influxUrl("http://unused:8086").parallelism(2).build();

        AggregationSinks sinks = new AggregationSinks(windows, links, rollups, capacity, deadLetters);
        JobRuns.built(config, (env, c) -> AggregationJob.build(env, c, source, sinks)).execute("pipeline-test");

        Map<String, ChipWindow> actual = windows.results().stream()
                .collect(Collectors.toMap(w -> w.chip() + "@" + w.windowStart(), Function.identity()));
        assertThat(windows.results()).hasSize(HandMadeSamples.CHIPS * HandMadeSamples.SECONDS / 10);
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(HandMadeSamples.expectedWindows());
        // Every sample has one healthy fabric link at 4.5 µs: one link row per chip, in the one of its six windows
        // that starts on a minute (LinkDetail's default interval).
        assertThat(links.results()).hasSize(HandMadeSamples.CHIPS)
                .allSatisfy(l -> {
                    assertThat(l.windowStart() % 60_000).isZero();
                    ChipWindow chip = actual.get(l.chip() + "@" + l.windowStart());
                    assertThat(l.link()).isEqualTo(l.chip() + "-fabric");
                    assertThat(l.kind()).isEqualTo("fabric");
                    assertThat(l.node()).isEqualTo(chip.node());
                    assertThat(l.samples()).isEqualTo(chip.samples());
                    assertThat(List.of(l.latencyUsMean(), l.latencyUsP99(), l.latencyUsMax())).containsOnly(4.5);
                });
        // Roll-ups: every node, rack, pod, the cluster and every job, in every window, against values computed
        // here from all their chips at once.
        for (Level level : List.of(Level.NODE, Level.RACK, Level.POD, Level.CLUSTER, Level.JOB)) {
            Map<String, ExpectedAggregates.Rollup> expected =
                    ExpectedAggregates.rollups(HandMadeSamples.samples(), level);
            Map<String, Rollup> actualRollups = rollups.results().stream().filter(r -> r.level() == level)
                    .collect(Collectors.toMap(r -> new RollupKey(level).getKey(r) + "@" + r.windowStart(),
                            Function.identity()));
            assertThat(actualRollups.keySet()).as("%s rows", level).isEqualTo(expected.keySet());
            expected.forEach((key, e) -> {
                Rollup a = actualRollups.get(key);
                assertThat(a.chips()).as("chips of %s", key).isEqualTo(e.chips());
                assertThat(a.utilMean()).as("util_mean of %s", key).isCloseTo(e.utilMean(), within(1e-9));
                assertThat(a.utilMin()).as("util_min of %s", key).isEqualTo(e.utilMin());
                assertThat(a.utilMax()).as("util_max of %s", key).isEqualTo(e.utilMax());
                assertThat(a.tempMax()).as("temp_max of %s", key).isEqualTo(e.tempMax());
                assertThat(a.powerSum()).as("power_sum of %s", key).isCloseTo(e.powerSum(), within(1e-9));
                ExpectedAggregates.assertSketchPercentile(a.linkLatency().percentileMicros(99),
                        e.exactPercentile(99), "link p99 of " + key);
            });
        }
        // Capacity: minutes and hours of every chip, node, rack, pod, job and the cluster.
        for (Resolution resolution : List.of(Resolution.MINUTE, Resolution.HOUR)) {
            for (Level level : List.of(Level.CHIP, Level.NODE, Level.RACK, Level.POD, Level.CLUSTER, Level.JOB)) {
                Map<String, ExpectedAggregates.Capacity> expected = ExpectedAggregates.capacity(
                        HandMadeSamples.samples(), level, resolution.duration().toMillis());
                Map<String, CapacityPoint> actualRows = capacity.results().stream()
                        .filter(p -> p.level() == level && p.resolution() == resolution)
                        .collect(Collectors.toMap(p -> p.series() + "@" + p.windowStart(), Function.identity()));
                assertThat(actualRows.keySet()).as("%s %s rows", level, resolution).isEqualTo(expected.keySet());
                expected.forEach((key, e) -> {
                    CapacityPoint a = actualRows.get(key);
                    assertThat(a.points()).as("points of %s", key).isEqualTo(e.points());
                    assertThat(a.utilMean()).as("util_mean of %s", key).isCloseTo(e.utilMean(), within(1e-9));
                    assertThat(a.utilMax()).as("util_max of %s", key).isEqualTo(e.utilMax());
                    assertThat(a.powerMean()).as("power of %s", key).isCloseTo(e.power(), within(1e-9));
                    assertThat(a.count()).as("samples/chips of %s", key).isEqualTo(e.count());
                });
            }
        }
        assertThat(deadLetters.results()).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MALFORMED_BODY);
            assertThat(letter.value()).isEqualTo(HandMadeSamples.malformed());
        });
    }
}
