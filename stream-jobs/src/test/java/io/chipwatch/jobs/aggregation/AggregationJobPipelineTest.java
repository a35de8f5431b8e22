package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole data flow of {@link AggregationJob} on a MiniCluster, with in-memory records in place of Kafka and
 * collecting sinks in place of InfluxDB and the dead-letter topic: wiring, serialization (generic types are
 * disabled) and event time end to end, without any infrastructure. {@code AggregationJobIT} runs the same job
 * on a real Kafka and InfluxDB.
 */
class AggregationJobPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void aggregatesEveryChipAndWindowExactlyAndRoutesTheMalformedRecordToDeadLetters() throws Exception {
        List<HandMadeSamples.KeyedValue> records = HandMadeSamples.records();
        // Two source subtasks, each reading a contiguous slice in order, like two Kafka partitions.
        GeneratorFunction<Long, RawRecord> toRecord = i -> new RawRecord("chip-samples", 0, i, 0L,
                records.get(i.intValue()).chip().getBytes(StandardCharsets.UTF_8), records.get(i.intValue()).value());
        DataGeneratorSource<RawRecord> source =
                new DataGeneratorSource<>(toRecord, records.size(), TypeInformation.of(RawRecord.class));
        CollectingSink<ChipWindow> windows = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        AggregationJobConfig config = AggregationJobConfig.builder()
                .bootstrapServers("unused:9092").influxUrl("http://unused:8086").parallelism(2).build();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AggregationJob.configure(env, config);
        AggregationJob.build(env, config, source, windows, deadLetters);
        env.execute("pipeline-test");

        Map<String, ChipWindow> actual = windows.results().stream()
                .collect(Collectors.toMap(w -> w.chip() + "@" + w.windowStart(), Function.identity()));
        assertThat(windows.results()).hasSize(HandMadeSamples.CHIPS * HandMadeSamples.SECONDS / 10);
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(HandMadeSamples.expectedWindows());
        assertThat(deadLetters.results()).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MALFORMED_BODY);
            assertThat(letter.value()).isEqualTo(HandMadeSamples.malformed());
        });
    }
}
