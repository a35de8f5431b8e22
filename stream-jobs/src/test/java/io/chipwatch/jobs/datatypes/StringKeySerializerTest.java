package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StringKeySerializerTest {
    private static final String[] STRINGS = {"p01-r02-n03-c04", "", "chip-ü-é", "€ and 😀", "x".repeat(70_000)};

    @Test
    void writesExactlyTheBytesOfFlinksStringSerializer() throws IOException {
        for (String s : Arrays.copyOf(STRINGS, STRINGS.length + 1)) {
            DataOutputSerializer flink = new DataOutputSerializer(64);
            StringSerializer.INSTANCE.serialize(s, flink);
            DataOutputSerializer ours = new DataOutputSerializer(64);
            StringKeySerializer.INSTANCE.serialize(s, ours);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            StringKeySerializer.INSTANCE.serialize(s, new DataOutputViewStreamWrapper(stream));

            assertThat(ours.getCopyOfBuffer()).isEqualTo(flink.getCopyOfBuffer());
            assertThat(stream.toByteArray()).isEqualTo(flink.getCopyOfBuffer());
            DataInputDeserializer in = new DataInputDeserializer(flink.getCopyOfBuffer());
            assertThat(StringKeySerializer.INSTANCE.deserialize(in)).isEqualTo(s);
            assertThat(in.available()).isZero();
        }
    }

    @Test
    void isAKeyTypeThatUsesIt() {
        assertThat(StringKeySerializer.KEY_TYPE.isKeyType()).isTrue();
        assertThat(StringKeySerializer.KEY_TYPE.getTypeClass()).isEqualTo(String.class);
        assertThat(StringKeySerializer.KEY_TYPE.createSerializer(new SerializerConfigImpl()))
                .isSameAs(StringKeySerializer.INSTANCE);
    }

    @Test
    void acceptsItsOwnSnapshotAndStringSerializersAsCompatibleAsIs() throws IOException {
        for (TypeSerializerSnapshot<String> old : List.of(
                StringSerializer.INSTANCE.snapshotConfiguration(),
                StringKeySerializer.INSTANCE.snapshotConfiguration())) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, old);
            TypeSerializerSnapshot<String> read = TypeSerializerSnapshot.readVersionedSnapshot(
                    new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
            assertThat(StringKeySerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read)
                    .isCompatibleAsIs()).isTrue();
        }
    }

    /** A checkpoint of keyed state (values, string map keys, timers) written with Flink's string serializer. */
    @Test
    void restoresKeyedStateCheckpointedWithFlinksStringSerializer() throws Exception {
        OperatorSubtaskState checkpoint;
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> before = harness(Types.STRING)) {
            before.open();
            before.processElement("c1|n1", 1L);
            before.processElement("c1|n2", 2L);
            before.processElement("c2|n1", 3L);
            checkpoint = before.snapshot(1L, 3L);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> after =
                     harness(StringKeySerializer.KEY_TYPE)) {
            after.initializeState(checkpoint);
            after.open();
            after.processElement("c1|n3", 4L);
            after.processWatermark(100L);
            assertThat(after.extractOutputValues()).containsExactlyInAnyOrder(
                    "c1: 3 members, n1 n2 n3", "c1: 3 members, n1 n2 n3", "c1: 3 members, n1 n2 n3",
                    "c2: 1 members, n1");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            TypeInformation<String> keyType) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Members(keyType)),
                v -> v.substring(0, v.indexOf('|')), keyType);
    }

    /** Keeps each key's members (a map state with string keys) and a count, and reports them at a timer. */
    private static final class Members extends KeyedProcessFunction<String, String, String> {
        private static final long serialVersionUID = 1L;
        private final TypeInformation<String> keyType;
        private transient MapState<String, Long> members;
        private transient ValueState<Integer> count;

        Members(TypeInformation<String> keyType) {
            this.keyType = keyType;
        }

        @Override
        public void open(OpenContext openContext) {
            members = getRuntimeContext().getMapState(new MapStateDescriptor<>("members", keyType, Types.LONG));
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.INT));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) throws Exception {
            members.put(value.substring(value.indexOf('|') + 1), ctx.timestamp());
            count.update(count.value() == null ? 1 : count.value() + 1);
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            List<String> names = new ArrayList<>();
            members.keys().forEach(names::add);
            names.sort(null);
            out.collect(ctx.getCurrentKey() + ": " + count.value() + " members, " + String.join(" ", names));
        }
    }
}
