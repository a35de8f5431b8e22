package io.chipwatch.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChipWindowAccumulatorSerializerTest {
    private final ChipWindowAggregate aggregate = new ChipWindowAggregate();
    private final ChipWindowAccumulatorSerializer serializer = ChipWindowAccumulatorSerializer.INSTANCE;

    @Test
    void flinkUsesItForTheAccumulator() {
        assertThat(TypeInformation.of(ChipWindowAccumulator.class).createSerializer(
                new SerializerConfigImpl())).isSameAs(serializer);
    }

    @Test
    void roundTripsAndCopiesDeeply() throws Exception {
        ChipWindowAccumulator acc = accumulator();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(acc, out);
        serializer.serialize(new ChipWindowAccumulator(), out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ChipWindowAccumulator back = serializer.deserialize(in);
        ChipWindowAccumulator emptyBack = serializer.deserialize(in);
        assertSame(back, acc);
        assertThat(emptyBack.count).isZero();
        assertThat(emptyBack.job).isNull();
        assertThat(emptyBack.utilMax).isEqualTo(Double.NEGATIVE_INFINITY);

        ChipWindowAccumulator copy = serializer.copy(acc);
        assertSame(copy, acc);
        aggregate.add(sample(9_000L, 7.0), copy);
        assertThat(acc.count).as("the original is untouched").isEqualTo(3);
        assertThat(acc.links[0].sketch.totalCount()).isEqualTo(3);

        DataOutputSerializer copied = new DataOutputSerializer(256);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertSame(serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())), acc);
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);
    }

    private ChipWindowAccumulator accumulator() {
        ChipWindowAccumulator acc = aggregate.createAccumulator();
        aggregate.add(sample(1_000L, 2.0), acc);
        aggregate.add(sample(3_000L, 2.5), acc);
        aggregate.add(sample(2_000L, 4.0), acc);
        return acc;
    }

    private static void assertSame(ChipWindowAccumulator actual, ChipWindowAccumulator expected) {
        assertThat(actual.toChipWindow("c1", 0L)).isEqualTo(expected.toChipWindow("c1", 0L));
        assertThat(actual.toLinkWindows("c1", 0L)).isEqualTo(expected.toLinkWindows("c1", 0L));
        assertThat(actual.linkLatency()).isEqualTo(expected.linkLatency());
        assertThat(Arrays.copyOf(actual.timestamps, (int) actual.count))
                .containsExactly(Arrays.copyOf(expected.timestamps, (int) expected.count));
        assertThat(actual.latestTimestamp).isEqualTo(expected.latestTimestamp);
        assertThat(actual.jobTimestamp).isEqualTo(expected.jobTimestamp);
    }

    private static ChipSample sample(long t, double latency) {
        return new ChipSample(t, "c1", "n1", "r1", "p1", t == 2_000L ? "job" : null, t / 100.0, 50, 300,
                List.of(new LinkLatency("c1~c2", "c2", LinkKind.INTRA, latency),
                        new LinkLatency("c1~sw", "sw", LinkKind.FABRIC, latency * 2)));
    }
}
