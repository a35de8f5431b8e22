package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link ChipReading}, the record the detectors buffer in keyed state until the watermark passes
 * (five of them, about 10,000 readings each at 10,000 chips, checkpointed every two seconds).
 *
 * <p>Why not Flink's record serializer: it writes each of the five identifiers character by character through the
 * checkpoint stream, which took three quarters of the detection job's CPU at 10,000 chips. Here a reading is one
 * {@link BulkWrite}, strings as {@code writeUTF}, the flags in one byte. Layout: timestamp, chip, node, rack, pod, a flags
 * byte (bit 0 job present, 1 suspect, 2 warm), the job if present, util, power, temperature, excess.
 */
public final class ChipReadingSerializer extends StatelessSerializer<ChipReading> {
    private static final long serialVersionUID = 1L;

    public static final ChipReadingSerializer INSTANCE = new ChipReadingSerializer();

    private static final int HAS_JOB = 1;
    private static final int SUSPECT = 2;
    private static final int WARM = 4;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ChipReading createInstance() {
        return null;
    }

    @Override
    public ChipReading copy(ChipReading from) {
        return from;
    }

    @Override
    public ChipReading copy(ChipReading from, ChipReading reuse) {
        return from;
    }

    @Override
    public void serialize(ChipReading r, DataOutputView out) throws IOException {
        BulkWrite.write(out, o -> {
            o.writeLong(r.timestampMillis());
            o.writeUTF(r.chip());
            o.writeUTF(r.node());
            o.writeUTF(r.rack());
            o.writeUTF(r.pod());
            int flags = (r.job() != null ? HAS_JOB : 0) | (r.suspect() ? SUSPECT : 0) | (r.warm() ? WARM : 0);
            o.writeByte(flags);
            if (r.job() != null) {
                o.writeUTF(r.job());
            }
            o.writeDouble(r.util());
            o.writeDouble(r.powerW());
            o.writeDouble(r.tempC());
            o.writeDouble(r.excessC());
        });
    }

    @Override
    public ChipReading deserialize(DataInputView in) throws IOException {
        long ts = in.readLong();
        String chip = in.readUTF();
        String node = in.readUTF();
        String rack = in.readUTF();
        String pod = in.readUTF();
        int flags = in.readUnsignedByte();
        String job = (flags & HAS_JOB) != 0 ? in.readUTF() : null;
        return new ChipReading(ts, chip, node, rack, pod, job, in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), (flags & SUSPECT) != 0, (flags & WARM) != 0);
    }

    @Override
    public TypeSerializerSnapshot<ChipReading> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChipReading> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
