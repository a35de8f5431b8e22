package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.testing.CollectingSink;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.RawRecords;
import io.chipwatch.jobs.testing.ShuffleTimeouts;
import io.chipwatch.model.anomaly.Anomaly;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of {@link DetectionJob}'s graph at parallelism 2, as Flink chains it: a chip reading crosses the network
 * once to its node's subtask and once to its rack's, and every detector of that key runs chained there (forward, no
 * serialization) instead of each being a shuffle of its own.
 */
class DetectionJobGraphTest {

    @Test
    void readingsCrossTwoShufflesAndTheDetectorsOfEachKeyChainOntoThem() {
        StreamExecutionEnvironment env = builtAtParallelism2();
        JobGraph graph = env.getStreamGraph().getJobGraph();

        JobVertex byNode = vertexNamed(graph, "readings-by-node");
        assertThat(byNode.getName()).contains("stuck-sensor-detector", "silence-detector", "peer-detector");
        JobVertex byRack = vertexNamed(graph, "readings-by-rack");
        assertThat(byRack.getName()).contains("overheat-detector", "rack-cooling-detector");

        // The chip chain (decode ... thermal features) sends readings to exactly those two vertices.
        JobVertex chips = vertexNamed(graph, "thermal-features");
        List<String> readingsTo = new ArrayList<>();
        for (JobVertex v : graph.getVertices()) {
            for (JobEdge in : v.getInputs()) {
                if (in.getSource().getProducer().getID().equals(chips.getID()) && !v.getName().contains("link-rollup")) {
                    readingsTo.add(v.getName());
                }
            }
        }
        assertThat(readingsTo).containsExactlyInAnyOrder(byNode.getName(), byRack.getName());
    }

    @Test
    void onlyTheSampleAndReadingShufflesWaitToFillABuffer() {
        StreamExecutionEnvironment env = builtAtParallelism2();

        // Each network edge with a buffer timeout has a flusher thread that wakes every timeout; the edges of
        // anomalies and link events (rare) send each record at once instead.
        Map<String, Long> buffered = ShuffleTimeouts.buffered(ShuffleTimeouts.of(env));
        assertThat(buffered.keySet()).containsExactlyInAnyOrder("Source: chip-samples", "thermal-features");
        assertThat(buffered.values()).containsOnly(DetectionJob.DETECTION_BUFFER_TIMEOUT_MS);
    }

    /** The job built on an environment at parallelism 2, with a source of no records and a collecting sink. */
    private static StreamExecutionEnvironment builtAtParallelism2() {
        DetectionJobConfig config = DetectionJobConfig.builder().bootstrapServers("unused:9092").parallelism(2)
                .anyTime().build();
        return JobRuns.built(config, (e, c) ->
                DetectionJob.build(e, c, RawRecords.source(List.of()), new CollectingSink<Anomaly>(), null));
    }

    private static JobVertex vertexNamed(JobGraph graph, String operator) {
        List<JobVertex> found = new ArrayList<>();
        graph.getVertices().forEach(v -> {
            if (v.getName().contains(operator)) {
                found.add(v);
            }
        });
        assertThat(found).as("vertices running %s", operator).hasSize(1);
        return found.get(0);
    }
}
