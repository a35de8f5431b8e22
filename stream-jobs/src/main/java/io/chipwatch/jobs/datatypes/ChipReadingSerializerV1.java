package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The first format of {@link ChipReading} (snapshot version 3 of {@link ChipReadingSerializer.Snapshot}): kept to read
 * the tick detectors' pending readings from checkpoints written before {@link ChipReadingSerializer}'s topology
 * codes, and as the "before" of {@code ChipReadingSerializerBenchmark}. Never registered for new state.
 *
 * <p>Layout: timestamp, chip, node, rack, pod (each {@code writeUTF}), a flags byte (bit 0 job present, 1 suspect,
 * 2 warm), the job if present, util, power, temperature, excess; one {@link BulkWrite}.
 */
public final class ChipReadingSerializerV1 extends StatelessSerializer<ChipReading> {
    private static final long serialVersionUID = 1L;

    public static final ChipReadingSerializerV1 INSTANCE = new ChipReadingSerializerV1();

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
        return ChipReadingSerializer.Snapshot.v1();
    }
}
