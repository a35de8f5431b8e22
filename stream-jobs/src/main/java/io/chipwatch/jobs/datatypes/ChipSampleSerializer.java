package io.chipwatch.jobs.datatypes;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flink serializer of the decoded {@link ChipSample} stream ({@link #TYPE_INFO}, given where that stream is made).
 *
 * <p>Why: a sample is immutable (a record over an unmodifiable link list), yet Flink's record serializer deep-copied
 * it, list and links included, at every hand-over between chained operators (decode, duplicate removal, the
 * detectors that read samples): about 3% of the detection job's CPU at 10,000 chips. Here {@link #copy} returns the
 * sample itself. Samples are not shuffled (the raw bytes are) nor kept in state, so serializing is rare; it is still
 * one {@link BulkWrite}: timestamp, chip, node, rack, pod ({@code writeUTF}), a flag byte (bit 0: job present), the
 * job if present, util, temperature, power, the number of links, then per link its id, peer, kind (ordinal) and
 * latency.
 */
public final class ChipSampleSerializer extends StatelessSerializer<ChipSample> {
    private static final long serialVersionUID = 1L;

    public static final ChipSampleSerializer INSTANCE = new ChipSampleSerializer();

    /** The type information of a stream of samples that uses this serializer. */
    public static final TypeInformation<ChipSample> TYPE_INFO = new SerializerTypeInfo<>(ChipSample.class, INSTANCE);

    private static final int HAS_JOB = 1;
    private static final LinkKind[] KINDS = LinkKind.values();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ChipSample createInstance() {
        return null;
    }

    @Override
    public ChipSample copy(ChipSample from) {
        return from;
    }

    @Override
    public ChipSample copy(ChipSample from, ChipSample reuse) {
        return from;
    }

    @Override
    public void serialize(ChipSample s, DataOutputView out) throws IOException {
        BulkWrite.write(out, o -> {
            o.writeLong(s.timestampMillis());
            o.writeUTF(s.chip());
            o.writeUTF(s.node());
            o.writeUTF(s.rack());
            o.writeUTF(s.pod());
            o.writeByte(s.job() != null ? HAS_JOB : 0);
            if (s.job() != null) {
                o.writeUTF(s.job());
            }
            o.writeDouble(s.util());
            o.writeDouble(s.tempC());
            o.writeDouble(s.powerW());
            List<LinkLatency> links = s.links();
            o.writeInt(links.size());
            for (LinkLatency l : links) {
                o.writeUTF(l.link());
                o.writeUTF(l.peer());
                o.writeByte(l.kind().ordinal());
                o.writeDouble(l.latencyUs());
            }
        });
    }

    @Override
    public ChipSample deserialize(DataInputView in) throws IOException {
        long ts = in.readLong();
        String chip = in.readUTF();
        String node = in.readUTF();
        String rack = in.readUTF();
        String pod = in.readUTF();
        String job = (in.readUnsignedByte() & HAS_JOB) != 0 ? in.readUTF() : null;
        double util = in.readDouble();
        double tempC = in.readDouble();
        double powerW = in.readDouble();
        int n = in.readInt();
        List<LinkLatency> links = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            links.add(new LinkLatency(in.readUTF(), in.readUTF(), KINDS[in.readUnsignedByte()], in.readDouble()));
        }
        return new ChipSample(ts, chip, node, rack, pod, job, util, tempC, powerW, links);
    }

    @Override
    public TypeSerializerSnapshot<ChipSample> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChipSample> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
