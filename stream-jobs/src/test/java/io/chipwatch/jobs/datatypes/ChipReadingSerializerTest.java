package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

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
        for (ChipReading r : new ChipReading[]{busy, idle}) {
            assertThat(roundTrip(r)).isEqualTo(r);
        }
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

    private static ChipReading roundTrip(ChipReading r) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ChipReadingSerializer.INSTANCE.serialize(r, out);
        return ChipReadingSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
