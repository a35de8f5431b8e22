package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link ChipReading}: the record the detection job shuffles to its node and rack detectors (four
 * edges, each reading serialized and read once per edge) and buffers in their keyed state until the watermark passes.
 *
 * <p>Why not Flink's record serializer: it writes each of the five identifiers character by character through the
 * checkpoint stream, which took three quarters of the detection job's CPU at 10,000 chips. Here a reading is one
 * {@link BulkWrite}, the flags in one byte, and the chip's four topology ids one {@link TopologyCode} when they are in
 * the topology's naming: 8 bytes instead of ~45, and read back as shared strings instead of four new ones per
 * reading and edge (the readings on those edges were 18 % of the job's allocation). Other ids, and the job id, travel as
 * strings.
 *
 * <p>Layout: timestamp, a flags byte (bit 0 job present, 1 suspect, 2 warm, 3 topology code, 4 intra links), the
 * code or chip, node, rack, pod ({@code writeUTF}), the job if present, util, power, temperature, excess, and the
 * intra-node link count (one unsigned byte) when not 0. Snapshot version 5; version 4 is the same without bit 4
 * (never set then), read by the same code; the first format (version 3, {@link ChipReadingSerializerV1}) is read
 * when restoring older checkpoints and rewritten in this one (state migration; the tick detectors' uids are
 * unchanged).
 */
public final class ChipReadingSerializer extends StatelessSerializer<ChipReading> {
    private static final long serialVersionUID = 1L;

    public static final ChipReadingSerializer INSTANCE = new ChipReadingSerializer();

    private static final int HAS_JOB = 1;
    private static final int SUSPECT = 2;
    private static final int WARM = 4;
    private static final int CODED = 8;
    private static final int LINKS = 16;

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
        long code = TopologyCode.encode(r.chip(), r.node(), r.rack(), r.pod());
        BulkWrite.write(out, o -> {
            o.writeLong(r.timestampMillis());
            int flags = (r.job() != null ? HAS_JOB : 0) | (r.suspect() ? SUSPECT : 0) | (r.warm() ? WARM : 0)
                    | (code != TopologyCode.NONE ? CODED : 0) | (r.intraLinks() > 0 ? LINKS : 0);
            o.writeByte(flags);
            if (code != TopologyCode.NONE) {
                o.writeLong(code);
            } else {
                o.writeUTF(r.chip());
                o.writeUTF(r.node());
                o.writeUTF(r.rack());
                o.writeUTF(r.pod());
            }
            if (r.job() != null) {
                o.writeUTF(r.job());
            }
            o.writeDouble(r.util());
            o.writeDouble(r.powerW());
            o.writeDouble(r.tempC());
            o.writeDouble(r.excessC());
            if (r.intraLinks() > 0) {
                o.writeByte(r.intraLinks());
            }
        });
    }

    @Override
    public ChipReading deserialize(DataInputView in) throws IOException {
        long ts = in.readLong();
        int flags = in.readUnsignedByte();
        String chip;
        String node;
        String rack;
        String pod;
        if ((flags & CODED) != 0) {
            TopologyCode.Ids ids = TopologyCode.decode(in.readLong());
            chip = ids.chip;
            node = ids.node;
            rack = ids.rack;
            pod = ids.pod;
        } else {
            chip = in.readUTF();
            node = in.readUTF();
            rack = in.readUTF();
            pod = in.readUTF();
        }
        String job = (flags & HAS_JOB) != 0 ? in.readUTF() : null;
        double util = in.readDouble();
        double power = in.readDouble();
        double temp = in.readDouble();
        double excess = in.readDouble();
        int intraLinks = (flags & LINKS) != 0 ? in.readUnsignedByte() : 0;
        return new ChipReading(ts, chip, node, rack, pod, job, util, power, temp, excess, (flags & SUSPECT) != 0,
                (flags & WARM) != 0, intraLinks);
    }

    @Override
    public TypeSerializerSnapshot<ChipReading> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Serializer snapshot. Version 3 was written by Flink's {@code SimpleTypeSerializerSnapshot} for the first format
     * ({@link ChipReadingSerializerV1}); version 4 is this format without the intra link count, which this one
     * reads as it is; version 5 is this format. None has content. Checkpoints record this class's name, so it keeps
     * it.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<ChipReading> {
        private static final int V1 = 3;
        /** The format before the intra link count: its readings never set that flag, so this code reads them. */
        private static final int V4 = 4;
        private static final int CURRENT = 5;

        private int version = CURRENT;

        public Snapshot() {
        }

        /** The snapshot of the first format, as a restore finds it in an older checkpoint. */
        static Snapshot v1() {
            Snapshot s = new Snapshot();
            s.version = V1;
            return s;
        }

        /** The version this snapshot describes, which is also what writing it records. */
        @Override
        public int getCurrentVersion() {
            return version;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // No content: the format is fixed by the version.
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
                throws IOException {
            if (readVersion == 2) {
                in.readUTF(); // SimpleTypeSerializerSnapshot's version 2 held the serializer's class name
            } else if (readVersion != V1 && readVersion != V4 && readVersion != CURRENT) {
                throw new IOException("unknown ChipReadingSerializer snapshot version " + readVersion);
            }
            version = readVersion <= V1 ? V1 : CURRENT;
        }

        @Override
        public TypeSerializer<ChipReading> restoreSerializer() {
            return version == V1 ? ChipReadingSerializerV1.INSTANCE : INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<ChipReading> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ChipReading> oldSerializerSnapshot) {
            if (!(oldSerializerSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return old.version >= V4 ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
