package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.BulkWrite;
import io.chipwatch.jobs.datatypes.SerializerTypeInfo;
import io.chipwatch.jobs.datatypes.StatelessSerializer;
import io.chipwatch.jobs.sketch.LatencySketchSerializer;
import io.chipwatch.model.sample.LinkKind;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.Arrays;

/**
 * Flink serializer of {@link ChipWindowAccumulator}, the chip windows' state. Hand-written rather than Flink's POJO
 * serializer because the heap state backend copies every accumulator that changes while a checkpoint is being
 * written, and writes all of them at every checkpoint: 10,000 accumulators of 8 links each, where the reflective POJO
 * serializer spent about a tenth of the job's CPU time. Strings are immutable, so a copy shares them.
 *
 * <p>Format version 1: count, the {@code count} timestamps, the sums and maxima, the ids (nullable strings), then the
 * links (each: id, peer, kind, count, sum, max, sketch).
 */
public final class ChipWindowAccumulatorSerializer extends StatelessSerializer<ChipWindowAccumulator> {
    private static final long serialVersionUID = 1L;

    public static final ChipWindowAccumulatorSerializer INSTANCE = new ChipWindowAccumulatorSerializer();
    private static final LinkKind[] KINDS = LinkKind.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ChipWindowAccumulator createInstance() {
        return new ChipWindowAccumulator();
    }

    @Override
    public ChipWindowAccumulator copy(ChipWindowAccumulator from) {
        ChipWindowAccumulator c = new ChipWindowAccumulator();
        c.count = from.count;
        c.timestamps = Arrays.copyOf(from.timestamps, from.timestamps.length);
        c.utilSum = from.utilSum;
        c.utilMax = from.utilMax;
        c.tempSum = from.tempSum;
        c.tempMax = from.tempMax;
        c.powerSum = from.powerSum;
        c.powerMax = from.powerMax;
        c.latestTimestamp = from.latestTimestamp;
        c.node = from.node;
        c.rack = from.rack;
        c.pod = from.pod;
        c.jobTimestamp = from.jobTimestamp;
        c.job = from.job;
        c.links = new LinkAccumulator[from.links.length];
        for (int i = 0; i < from.links.length; i++) {
            LinkAccumulator l = from.links[i];
            if (l != null) {
                LinkAccumulator copy = new LinkAccumulator(l.link, l.peer, l.kind);
                copy.count = l.count;
                copy.sum = l.sum;
                copy.max = l.max;
                copy.sketch = l.sketch.copy();
                c.links[i] = copy;
            }
        }
        return c;
    }

    @Override
    public ChipWindowAccumulator copy(ChipWindowAccumulator from, ChipWindowAccumulator reuse) {
        return copy(from);
    }

    @Override
    public void serialize(ChipWindowAccumulator a, DataOutputView out) throws IOException {
        // Window state of 10,000 chips, each with 8 link sketches written byte by byte: one bulk write per window.
        BulkWrite.write(out, o -> writeFields(a, o));
    }

    private static void writeFields(ChipWindowAccumulator a, DataOutputView out) throws IOException {
        out.writeLong(a.count);
        for (int i = 0; i < a.count; i++) {
            out.writeLong(a.timestamps[i]);
        }
        out.writeDouble(a.utilSum);
        out.writeDouble(a.utilMax);
        out.writeDouble(a.tempSum);
        out.writeDouble(a.tempMax);
        out.writeDouble(a.powerSum);
        out.writeDouble(a.powerMax);
        out.writeLong(a.latestTimestamp);
        writeNullable(out, a.node);
        writeNullable(out, a.rack);
        writeNullable(out, a.pod);
        out.writeLong(a.jobTimestamp);
        writeNullable(out, a.job);
        int links = 0;
        for (LinkAccumulator l : a.links) {
            links += l == null ? 0 : 1;
        }
        out.writeInt(links);
        for (LinkAccumulator l : a.links) {
            if (l == null) {
                continue;
            }
            out.writeUTF(l.link);
            out.writeUTF(l.peer);
            out.writeByte(l.kind.ordinal());
            out.writeLong(l.count);
            out.writeDouble(l.sum);
            out.writeDouble(l.max);
            LatencySketchSerializer.INSTANCE.serialize(l.sketch, out);
        }
    }

    @Override
    public ChipWindowAccumulator deserialize(DataInputView in) throws IOException {
        ChipWindowAccumulator a = new ChipWindowAccumulator();
        a.count = in.readLong();
        a.timestamps = new long[(int) Math.max(a.count, 0)];
        for (int i = 0; i < a.count; i++) {
            a.timestamps[i] = in.readLong();
        }
        a.utilSum = in.readDouble();
        a.utilMax = in.readDouble();
        a.tempSum = in.readDouble();
        a.tempMax = in.readDouble();
        a.powerSum = in.readDouble();
        a.powerMax = in.readDouble();
        a.latestTimestamp = in.readLong();
        a.node = readNullable(in);
        a.rack = readNullable(in);
        a.pod = readNullable(in);
        a.jobTimestamp = in.readLong();
        a.job = readNullable(in);
        a.links = new LinkAccumulator[in.readInt()];
        for (int i = 0; i < a.links.length; i++) {
            LinkAccumulator l = new LinkAccumulator(in.readUTF(), in.readUTF(), KINDS[in.readByte()]);
            l.count = in.readLong();
            l.sum = in.readDouble();
            l.max = in.readDouble();
            l.sketch = LatencySketchSerializer.INSTANCE.deserialize(in);
            a.links[i] = l;
        }
        return a;
    }

    @Override
    public TypeSerializerSnapshot<ChipWindowAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeNullable(DataOutputView out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Serializer snapshot; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChipWindowAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes Flink use this serializer wherever a {@link ChipWindowAccumulator} is state or data. */
    public static final class Factory extends SerializerTypeInfo.Factory<ChipWindowAccumulator> {
        public Factory() {
            super(ChipWindowAccumulator.class, INSTANCE);
        }
    }
}
