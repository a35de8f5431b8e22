package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.BulkWrite;
import io.chipwatch.jobs.datatypes.StatelessSerializer;
import io.chipwatch.jobs.detect.LinkLatencyDetector.LinkEnds;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link LinkEnds}, the link latency detector's keyed state (one per chip, 8 links each at
 * 10,000 chips, checkpointed every two seconds).
 *
 * <p>Why not Flink's POJO serializer: it wrote the three {@code String[]} (link, peer, kind) character by character
 * through the checkpoint stream, about 30% of the detection job's CPU at 10,000 chips. Here a value is one
 * {@link BulkWrite}. Layout: last timestamp, the number of links (-1 when the arrays are absent), then per link:
 * link, peer and kind ({@code writeUTF}), baseline, last seen, run, high, huge and missing counts, the significant
 * flag, the run's maximum ratio, extreme, missing and normal rows, last episode and last bad timestamps, the open
 * state. Copies are deep: every array is cloned (the strings are immutable).
 */
public final class LinkEndsSerializer extends StatelessSerializer<LinkEnds> {
    private static final long serialVersionUID = 1L;

    public static final LinkEndsSerializer INSTANCE = new LinkEndsSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public LinkEnds createInstance() {
        return new LinkEnds();
    }

    @Override
    public LinkEnds copy(LinkEnds from) {
        LinkEnds to = new LinkEnds();
        to.lastMillis = from.lastMillis;
        if (from.link == null) {
            return to;
        }
        to.link = from.link.clone();
        to.peer = from.peer.clone();
        to.kind = from.kind.clone();
        to.baselineUs = from.baselineUs.clone();
        to.lastSeenMillis = from.lastSeenMillis.clone();
        to.run = from.run.clone();
        to.runHigh = from.runHigh.clone();
        to.runHuge = from.runHuge.clone();
        to.runMissing = from.runMissing.clone();
        to.runSignificant = from.runSignificant.clone();
        to.runMaxRatio = from.runMaxRatio.clone();
        to.extremeRow = from.extremeRow.clone();
        to.missingRow = from.missingRow.clone();
        to.normalRow = from.normalRow.clone();
        to.lastEpisodeMillis = from.lastEpisodeMillis.clone();
        to.lastBadMillis = from.lastBadMillis.clone();
        to.open = from.open.clone();
        return to;
    }

    @Override
    public LinkEnds copy(LinkEnds from, LinkEnds reuse) {
        return copy(from);
    }

    @Override
    public void serialize(LinkEnds s, DataOutputView out) throws IOException {
        BulkWrite.write(out, o -> {
            o.writeLong(s.lastMillis);
            if (s.link == null) {
                o.writeInt(-1);
                return;
            }
            int n = s.link.length;
            o.writeInt(n);
            for (int i = 0; i < n; i++) {
                o.writeUTF(s.link[i]);
                o.writeUTF(s.peer[i]);
                o.writeUTF(s.kind[i]);
                o.writeDouble(s.baselineUs[i]);
                o.writeLong(s.lastSeenMillis[i]);
                o.writeInt(s.run[i]);
                o.writeInt(s.runHigh[i]);
                o.writeInt(s.runHuge[i]);
                o.writeInt(s.runMissing[i]);
                o.writeBoolean(s.runSignificant[i]);
                o.writeDouble(s.runMaxRatio[i]);
                o.writeInt(s.extremeRow[i]);
                o.writeInt(s.missingRow[i]);
                o.writeInt(s.normalRow[i]);
                o.writeLong(s.lastEpisodeMillis[i]);
                o.writeLong(s.lastBadMillis[i]);
                o.writeByte(s.open[i]);
            }
        });
    }

    @Override
    public LinkEnds deserialize(DataInputView in) throws IOException {
        long lastMillis = in.readLong();
        int n = in.readInt();
        LinkEnds s = n < 0 ? new LinkEnds() : LinkEnds.withSlots(n);
        s.lastMillis = lastMillis;
        if (n < 0) {
            return s;
        }
        for (int i = 0; i < n; i++) {
            s.link[i] = in.readUTF();
            s.peer[i] = in.readUTF();
            s.kind[i] = in.readUTF();
            s.baselineUs[i] = in.readDouble();
            s.lastSeenMillis[i] = in.readLong();
            s.run[i] = in.readInt();
            s.runHigh[i] = in.readInt();
            s.runHuge[i] = in.readInt();
            s.runMissing[i] = in.readInt();
            s.runSignificant[i] = in.readBoolean();
            s.runMaxRatio[i] = in.readDouble();
            s.extremeRow[i] = in.readInt();
            s.missingRow[i] = in.readInt();
            s.normalRow[i] = in.readInt();
            s.lastEpisodeMillis[i] = in.readLong();
            s.lastBadMillis[i] = in.readLong();
            s.open[i] = in.readByte();
        }
        return s;
    }

    @Override
    public TypeSerializerSnapshot<LinkEnds> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LinkEnds> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
