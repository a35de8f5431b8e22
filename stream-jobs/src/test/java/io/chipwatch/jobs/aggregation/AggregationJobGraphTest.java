package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.RawRecords;
import io.chipwatch.jobs.testing.ShuffleTimeouts;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

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

        Map<String, Long> shuffles = ShuffleTimeouts.of(env);
        Set<String> buffered = ShuffleTimeouts.buffered(shuffles).keySet();
        assertThat(buffered).containsExactlyInAnyOrder("Source: chip-samples", "chip-windows", "chips-with-a-job",
                "chip-capacity-rows");
        assertThat(shuffles.keySet()).as("the roll-up and capacity stages are shuffles too, sent at once")
                .contains("node-rollups", "rack-rollups", "pod-rollups", "rollup-capacity-rows", "capacity-1m");
    }
}
