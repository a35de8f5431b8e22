package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.testing.CollectingSink;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.KeyedValue;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.jobs.testing.RawRecords;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyFacts;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole {@link DetectionJob} data flow on a MiniCluster, records in memory in place of Kafka and a collecting
 * sink in place of the anomalies topic: a 240-chip cluster with one fault of every type of the catalogue must
 * raise exactly one anomaly per fault, of the right type, scope and entity, and nothing else (the sensor glitch
 * and the training jobs' communication phases included). {@code DetectionJobIT} runs it on a real Kafka.
 */
class DetectionJobPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    /** A cluster with one fault of each type, and what each must raise: type, scope, entity. */
    static FaultyCluster clusterWithEveryFault(Map<String, String[]> expected) {
        FaultyCluster cluster = new FaultyCluster(3, 11);
        Chip overheat = cluster.chip(0, 0, 1);
        Chip throttled = cluster.chip(0, 2, 3);
        Chip stuck = cluster.chip(0, 4, 6);
        Chip degradedEnd = cluster.chip(0, 6, 0);
        Chip glitch = cluster.chip(0, 1, 4);
        Chip straggler = cluster.chip(1, 0, 5);
        Chip flappingEnd = cluster.chip(1, 1, 7);
        Chip down = cluster.chip(1, 3, 2);
        Chip ofDownNode = cluster.chip(1, 5, 0);
        String rack = cluster.chip(2, 0, 0).rack();
        String degraded = degradedEnd.links().get(0).id();
        String flapping = flappingEnd.links().get(7).id();
        cluster.fault("overheat", overheat.id(), 100, 160)
                .fault("rack_cooling", rack, 100, 200)
                .fault("power_throttle", throttled.id(), 100, 200)
                .fault("straggler", straggler.id(), 100, 200)
                .fault("chip_down", down.id(), 100, 150)
                .fault("node_down", ofDownNode.node(), 100, 150)
                .fault("stuck_sensor", stuck.id(), 100, 200)
                .fault("link_degraded", degraded, 100, 200)
                .fault("link_flap", flapping, 100, 200)
                .fault("sensor_glitch", glitch.id(), 120, 121)
                // Whole-degree sensors repeat on a live chip at steady load: a frozen one shows once the load moves
                // its die (here its node's job ends at the onset; StuckSensorDetector).
                .endJobOf(stuck, 100);
        expected.put("OVERHEAT", new String[]{"CHIP", overheat.id()});
        expected.put("RACK_COOLING", new String[]{"RACK", rack});
        expected.put("POWER_THROTTLE", new String[]{"CHIP", throttled.id()});
        expected.put("STRAGGLER", new String[]{"CHIP", straggler.id()});
        expected.put("CHIP_DOWN", new String[]{"CHIP", down.id()});
        expected.put("NODE_DOWN", new String[]{"NODE", ofDownNode.node()});
        expected.put("STUCK_SENSOR", new String[]{"CHIP", stuck.id()});
        expected.put("LINK_DEGRADED", new String[]{"LINK", degraded});
        expected.put("LINK_FLAP", new String[]{"LINK", flapping});
        return cluster;
    }

    /** Asserts one open anomaly per expected type, with its scope and entity, detected within 5 s. */
    static void assertOneAnomalyPerFault(List<Anomaly> anomalies, Map<String, String[]> expected) {
        List<Anomaly> opens = anomalies.stream().filter(a -> a.state() == AnomalyState.OPEN).toList();
        Map<String, Anomaly> byType = new TreeMap<>();
        for (Anomaly a : opens) {
            assertThat(byType.put(a.type().name(), a)).as("a second %s: %s", a.type(), a).isNull();
        }
        assertThat(byType.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, String[]> e : expected.entrySet()) {
            Anomaly a = byType.get(e.getKey());
            assertThat(a.scope()).as(e.getKey()).isEqualTo(Scope.valueOf(e.getValue()[0]));
            assertThat(a.entity()).as(e.getKey()).isEqualTo(e.getValue()[1]);
            long onset = FaultyCluster.START_MILLIS + 100_000;
            assertThat(a.eventMillis() - onset).as("%s detected %d ms after onset", e.getKey(),
                    a.eventMillis() - onset).isBetween(0L, 5_000L);
            // Every verdict carries the facts its type promises the alert templates (AnomalyFacts).
            assertThat(a.facts().keySet()).as("facts of %s", e.getKey())
                    .containsAll(AnomalyFacts.required(a.type()).stream().map(Fact::key).toList());
        }
    }

    @Test
    void raisesOneAnomalyPerFaultOfTheCatalogueAndNothingElse() throws Exception {
        Map<String, String[]> expected = new TreeMap<>();
        FaultyCluster cluster = clusterWithEveryFault(expected);
        List<KeyedValue> records = new ArrayList<>();
        ChipSampleCodec codec = new ChipSampleCodec();
        cluster.run(240, (ChipSample s) -> records.add(new KeyedValue(s.chip(), codec.encode(s))));
        DataGeneratorSource<RawRecord> source = RawRecords.source(records);
        CollectingSink<Anomaly> anomalies = new CollectingSink<>();
        DetectionJobConfig config = DetectionJobConfig.builder().bootstrapServers("unused:9092").parallelism(1).anyTime()
                .checkpointInterval(Duration.ofSeconds(1)).build();

        JobRuns.built(config, (env, c) -> DetectionJob.build(env, c, source, anomalies, null))
                .execute("detection-pipeline-test");

        assertOneAnomalyPerFault(anomalies.results(), expected);
    }
}
