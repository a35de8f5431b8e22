package io.chipwatch.jobs.datatypes;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChipSampleSerializerTest {
    private final ChipSampleSerializer serializer = ChipSampleSerializer.INSTANCE;

    private static ChipSample busy() {
        return new ChipSample(1_795_000_000_123L, "p01-r02-n03-c04", "p01-r02-n03", "p01-r02", "p01", "job-7",
                93.25, 71.125, 401.5,
                List.of(new LinkLatency("p01-r02-n03-c04~c05", "p01-r02-n03-c05", LinkKind.INTRA, 1.87),
                        new LinkLatency("p01-r02-n03-c04~sw", "p01-r02-sw", LinkKind.FABRIC, 3.75),
                        new LinkLatency("l-ü", "peer-€", LinkKind.INTRA, Double.NaN)));
    }

    @Test
    void theStreamTypeUsesIt() {
        assertThat(ChipSampleSerializer.TYPE_INFO.createSerializer(new SerializerConfigImpl())).isSameAs(serializer);
        assertThat(ChipSampleSerializer.TYPE_INFO.getTypeClass()).isEqualTo(ChipSample.class);
    }

    @Test
    void roundTripsEveryFieldThroughABufferAndAStream() throws IOException {
        ChipSample idle = new ChipSample(-5L, "c", "n", "r", "p", null, 0.0, -1.0, Double.NaN, List.of());
        for (ChipSample s : new ChipSample[]{busy(), idle}) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(s, out);
            assertThat(read(out.getCopyOfBuffer())).isEqualTo(s);

            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            serializer.serialize(s, new DataOutputViewStreamWrapper(stream));
            assertThat(stream.toByteArray()).as("the same bytes either way").isEqualTo(out.getCopyOfBuffer());
        }
    }

    @Test
    void copyingASampleHandsOverTheSameImmutableSample() throws IOException {
        ChipSample s = busy();
        assertThat(serializer.isImmutableType()).isTrue();
        assertThat(serializer.copy(s)).isSameAs(s);

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void itsSnapshotRestoresIt() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<ChipSample> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isSameAs(serializer);
        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }

    private ChipSample read(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        ChipSample s = serializer.deserialize(in);
        assertThat(in.available()).as("reads all it wrote").isZero();
        return s;
    }
}
