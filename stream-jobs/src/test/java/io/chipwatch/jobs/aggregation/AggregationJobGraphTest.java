package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.RawRecords;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of {@link AggregationJob}'s graph that its cost depends on: only the busy shuffles (samples, and the
 * chip windows' rows, 1,000 to 10,000 records a second at 10,000 chips) wait to fill a network buffer; the roll-up,
 * capacity and late-sample edges (a few rows per entity and window) send each row at once and so need no flusher
 * thread.
 */
class AggregationJobGraphTest {

    @Test
    void onlyTheBusyShufflesWaitToFillABuffer() {
        AggregationJobConfig config = AggregationJobConfig.builder().bootstrapServers("unused:9092")
                .influxUrl("http://unused:8086").parallelism(2).build();
        StreamExecutionEnvironment env = JobRuns.built(config, (e, c) -> AggregationJob.build(e, c,
                RawRecords.source(List.of()), new AggregationSinks(new DiscardingSink<>(),
                        new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>())));

        Set<String> buffered = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            for (StreamEdge edge : node.getOutEdges()) {
                if (!(edge.getPartitioner() instanceof ForwardPartitioner)) {
                    all.add(node.getOperatorName());
                    if (edge.getBufferTimeout() != 0) {
                        buffered.add(node.getOperatorName());
                    }
                }
            }
        }
        assertThat(buffered).containsExactlyInAnyOrder("Source: chip-samples", "chip-windows", "chips-with-a-job",
                "chip-capacity-rows");
        assertThat(all).as("the roll-up and capacity stages are shuffles too, sent at once")
                .contains("node-rollups", "rack-rollups", "pod-rollups", "rollup-capacity-rows", "capacity-1m");
    }
}
