package io.chipwatch.jobs.sketch;

import io.chipwatch.jobs.datatypes.StatelessSerializer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link LatencySketch}: only the non-empty buckets, as variable-length integers. Layout: bucket
 * count, maximum + 1 (0 when empty), then per bucket the index delta from the previous bucket and the count. A
 * sketch of ten link latencies takes about 25 bytes.
 */
public final class LatencySketchSerializer extends StatelessSerializer<LatencySketch> {
    private static final long serialVersionUID = 1L;

    public static final LatencySketchSerializer INSTANCE = new LatencySketchSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public LatencySketch createInstance() {
        return new LatencySketch();
    }

    @Override
    public LatencySketch copy(LatencySketch from) {
        return from.copy();
    }

    @Override
    public LatencySketch copy(LatencySketch from, LatencySketch reuse) {
        reuse.copyFrom(from);
        return reuse;
    }

    @Override
    public void serialize(LatencySketch sketch, DataOutputView out) throws IOException {
        int size = sketch.size();
        writeVarLong(out, size);
        writeVarLong(out, sketch.maxUnits() + 1);
        int previous = 0;
        for (int i = 0; i < size; i++) {
            int index = sketch.indexAt(i);
            writeVarLong(out, index - previous);
            writeVarLong(out, sketch.countAt(i));
            previous = index;
        }
    }

    @Override
    public LatencySketch deserialize(DataInputView in) throws IOException {
        int size = (int) readVarLong(in);
        long maxUnits = readVarLong(in) - 1;
        int[] indexes = new int[size];
        long[] counts = new long[size];
        int index = 0;
        for (int i = 0; i < size; i++) {
            index += (int) readVarLong(in);
            indexes[i] = index;
            counts[i] = readVarLong(in);
        }
        return LatencySketch.of(indexes, counts, size, maxUnits);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        long size = readVarLong(source);
        writeVarLong(target, size);
        writeVarLong(target, readVarLong(source));
        for (long i = 0; i < 2 * size; i++) {
            writeVarLong(target, readVarLong(source));
        }
    }

    @Override
    public TypeSerializerSnapshot<LatencySketch> snapshotConfiguration() {
        return new Snapshot();
    }

    static void writeVarLong(DataOutputView out, long value) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("malformed variable-length integer in a serialized LatencySketch");
    }

    /** Serializer snapshot; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LatencySketch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
