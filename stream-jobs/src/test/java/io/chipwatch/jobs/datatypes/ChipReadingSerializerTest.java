package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChipReadingSerializerTest {

    @Test
    void flinkUsesTheCompactSerializerForReadingsInStateAndOnTheWire() {
        assertThat(TypeInformation.of(ChipReading.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(ChipReadingSerializer.INSTANCE);
    }

    @Test
    void roundTripsEveryField() throws IOException {
        ChipReading busy = new ChipReading(1_795_000_000_123L, "p01-r02-n03-c04", "p01-r02-n03", "p01-r02", "p01",
                "job-7", 93.25, 401.5, 71.125, 1.75, true, false);
        ChipReading idle = new ChipReading(-5L, "chip-ü", "n", "r", "p", null, 0.0, Double.NaN, -1.0, 0.0, false,
                true);
        ChipReading meshed = new ChipReading(9L, "p01-r02-n03-c05", "p01-r02-n03", "p01-r02", "p01", "job-7", 50, 300,
                60, 0.5, false, true, 7);
        ChipReading wide = new ChipReading(9L, "x", "n", "r", "p", null, 50, 300, 60, 0.5, false, true, 255);
        for (ChipReading r : new ChipReading[]{busy, idle, meshed, wide}) {
            assertThat(roundTrip(r)).isEqualTo(r);
        }
    }

    @Test
    void topologyIdsTravelAsOneCodeAndComeBackShared() throws IOException {
        ChipReading r = new ChipReading(7L, "p00-r03-n05-c06", "p00-r03-n05", "p00-r03", "p00", null, 1, 2, 3, 4,
                false, true);
        DataOutputSerializer out = new DataOutputSerializer(64);
        ChipReadingSerializer.INSTANCE.serialize(r, out);
        assertThat(out.length()).isEqualTo(8 + 1 + 8 + 4 * 8);
        ChipReading first = roundTrip(r);
        ChipReading second = roundTrip(r);
        assertThat(first).isEqualTo(r);
        assertThat(second.chip()).isSameAs(first.chip());
        assertThat(second.node()).isSameAs(first.node());
        assertThat(second.rack()).isSameAs(first.rack());
        assertThat(second.pod()).isSameAs(first.pod());
    }

    @Test
    void restoresReadingsWrittenInTheFirstFormat() throws IOException {
        ChipReading coded = new ChipReading(1L, "p01-r02-n03-c04", "p01-r02-n03", "p01-r02", "p01", "job-7", 93.25,
                401.5, 71.125, 1.75, true, false);
        ChipReading named = new ChipReading(-5L, "chip-ü", "n", "r", "p", null, 0.0, Double.NaN, -1.0, 0.0, false,
                true);
        // What a checkpoint of the former build holds: SimpleTypeSerializerSnapshot's version 3, then the readings.
        TypeSerializerSnapshot<ChipReading> old = firstFormatSnapshot();
        assertThat(ChipReadingSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration()).isTrue();
        DataOutputSerializer state = new DataOutputSerializer(64);
        ChipReadingSerializerV1.INSTANCE.serialize(coded, state);
        ChipReadingSerializerV1.INSTANCE.serialize(named, state);
        DataInputDeserializer in = new DataInputDeserializer(state.getCopyOfBuffer());
        assertThat(old.restoreSerializer().deserialize(in)).isEqualTo(coded);
        assertThat(old.restoreSerializer().deserialize(in)).isEqualTo(named);

        TypeSerializerSnapshot<ChipReading> current = roundTripSnapshot(ChipReadingSerializer.INSTANCE
                .snapshotConfiguration());
        assertThat(current.restoreSerializer()).isSameAs(ChipReadingSerializer.INSTANCE);
        assertThat(ChipReadingSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(current)
                .isCompatibleAsIs()).isTrue();
    }

    /**
     * Version 4 (before the intra link count) wrote the same layout without it: its readings, in a checkpoint of the
     * former build, are read as they are, with no link count.
     */
    @Test
    void restoresReadingsWrittenBeforeTheIntraLinkCountAsTheyAre() throws IOException {
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        bytes.writeUTF(ChipReadingSerializer.Snapshot.class.getName());
        bytes.writeInt(4);
        TypeSerializerSnapshot<ChipReading> v4 = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(bytes.getCopyOfBuffer()), ChipReadingSerializerTest.class.getClassLoader());
        assertThat(ChipReadingSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(v4)
                .isCompatibleAsIs()).isTrue();
        assertThat(v4.restoreSerializer()).isSameAs(ChipReadingSerializer.INSTANCE);
        // Version 4's bytes of a coded reading with a job: timestamp, flags (job, warm, coded), code, job, 4 doubles.
        DataOutputSerializer state = new DataOutputSerializer(64);
        state.writeLong(3L);
        state.writeByte(1 | 4 | 8);
        state.writeLong(TopologyCode.encode("p00-r01-n02-c03", "p00-r01-n02", "p00-r01", "p00"));
        state.writeUTF("job-1");
        for (double d : new double[]{90, 380, 70, 0.25}) {
            state.writeDouble(d);
        }
        state.writeLong(4L);
        ChipReading read = v4.restoreSerializer().deserialize(new DataInputDeserializer(state.getCopyOfBuffer()));
        assertThat(read).isEqualTo(new ChipReading(3L, "p00-r01-n02-c03", "p00-r01-n02", "p00-r01", "p00", "job-1",
                90, 380, 70, 0.25, false, true, 0));
        assertThatThrownBy(() -> new ChipReading(1L, "c", "n", "r", "p", null, 1, 2, 3, 4, false, true, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intraLinks");
    }

    @Test
    void copyingSerializedBytesKeepsTheReading() throws IOException {
        ChipReading r = new ChipReading(42L, "c", "n", "r", "p", "j", 1, 2, 3, 4, false, true);
        DataOutputSerializer out = new DataOutputSerializer(64);
        ChipReadingSerializer.INSTANCE.serialize(r, out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        ChipReadingSerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    /** The snapshot as Flink's SimpleTypeSerializerSnapshot wrote it: the class name and version 3, no content. */
    private static TypeSerializerSnapshot<ChipReading> firstFormatSnapshot() throws IOException {
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        bytes.writeUTF(ChipReadingSerializer.Snapshot.class.getName());
        bytes.writeInt(3);
        TypeSerializerSnapshot<ChipReading> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(bytes.getCopyOfBuffer()), ChipReadingSerializerTest.class.getClassLoader());
        assertThat(old.restoreSerializer()).isSameAs(ChipReadingSerializerV1.INSTANCE);
        return old;
    }

    private static TypeSerializerSnapshot<ChipReading> roundTripSnapshot(TypeSerializerSnapshot<ChipReading> s)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                ChipReadingSerializerTest.class.getClassLoader());
    }

    private static ChipReading roundTrip(ChipReading r) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ChipReadingSerializer.INSTANCE.serialize(r, out);
        return ChipReadingSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
