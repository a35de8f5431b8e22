package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RawRecordSerializerTest {
    private final RawRecordSerializer serializer = RawRecordSerializer.INSTANCE;

    @Test
    void flinkUsesItForRawRecordsOnTheWire() {
        assertThat(TypeInformation.of(RawRecord.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(serializer);
    }

    @Test
    void roundTripsEveryFieldWithAndWithoutKeyValueAndTopic() throws IOException {
        RawRecord full = new RawRecord("chip-samples", 7, 123_456_789_012L, 1_795_000_000_123L,
                "p01-r02-n03-c04".getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xC3, 1, 0, -1, 42});
        RawRecord tombstone = new RawRecord("tópic", 0, 0L, -1L, new byte[0], null);
        RawRecord bare = new RawRecord(null, -3, -4L, -5L, null, new byte[]{9});
        for (RawRecord r : new RawRecord[]{full, tombstone, bare}) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            serializer.serialize(r, out);
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            assertSameRecord(serializer.deserialize(in), r);
            assertThat(in.available()).as("reads all it wrote").isZero();

            DataOutputSerializer copied = new DataOutputSerializer(16);
            serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        }
    }

    @Test
    void copiesDeeply() {
        byte[] value = {1, 2, 3};
        RawRecord r = new RawRecord("t", 1, 2L, 3L, new byte[]{4}, value);
        RawRecord copy = serializer.copy(r);
        assertSameRecord(copy, r);
        copy.value()[0] = 99;
        copy.key()[0] = 99;
        assertThat(r.value()).containsExactly(1, 2, 3);
        assertThat(r.key()).containsExactly(4);
    }

    private static void assertSameRecord(RawRecord actual, RawRecord expected) {
        assertThat(actual.topic()).isEqualTo(expected.topic());
        assertThat(actual.partition()).isEqualTo(expected.partition());
        assertThat(actual.offset()).isEqualTo(expected.offset());
        assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
        assertThat(actual.key()).isEqualTo(expected.key());
        assertThat(actual.value()).isEqualTo(expected.value());
    }
}
