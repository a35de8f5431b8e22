package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.LinkEndEvent;
import io.chipwatch.jobs.detect.LinkLatencyDetector.LinkEnds;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class LinkEndsSerializerTest {
    private final LinkEndsSerializer serializer = LinkEndsSerializer.INSTANCE;

    /** A chip's eight links with every field set to a distinct value. */
    static LinkEnds eightLinks() {
        LinkEnds s = new LinkEnds();
        s.lastMillis = 1_795_000_123_000L;
        for (int i = 0; i < 8; i++) {
            boolean fabric = i >= 6;
            int slot = s.add("p01-r02-n03-c04~" + (fabric ? "sw" + i : "c0" + i),
                    fabric ? "p01-r02-sw" : "p01-r02-n03-c0" + i, fabric ? "fabric" : "intra",
                    fabric ? 3.7 + i / 10.0 : 1.85 + i / 100.0, s.lastMillis - i);
            s.run[slot] = i;
            s.runHigh[slot] = i + 1;
            s.runHuge[slot] = i + 2;
            s.runMissing[slot] = i + 3;
            s.runSignificant[slot] = i % 2 == 1;
            s.runMaxRatio[slot] = 1.5 * i;
            s.extremeRow[slot] = i + 4;
            s.missingRow[slot] = i + 5;
            s.normalRow[slot] = i + 6;
            s.lastEpisodeMillis[slot] = 1_000L * i;
            s.lastBadMillis[slot] = 2_000L * i;
            s.open[slot] = (byte) (i % 3);
        }
        return s;
    }

    @Test
    void roundTripsEveryFieldOfEveryLink() throws IOException {
        LinkEnds s = eightLinks();
        s.link[3] = "link-ü-€";
        s.runMaxRatio[2] = Double.NaN;
        assertSameEnds(roundTrip(s), s);
    }

    @Test
    void roundTripsAChipWithoutLinksAndOneWhoseLinksWereForgotten() throws IOException {
        LinkEnds none = new LinkEnds();
        none.lastMillis = 5L;
        LinkEnds back = roundTrip(none);
        assertThat(back.lastMillis).isEqualTo(5L);
        assertThat(back.link).isNull();
        assertThat(back.size()).isZero();

        LinkEnds forgotten = eightLinks();
        for (int i = forgotten.size() - 1; i >= 0; i--) {
            forgotten.remove(i);
        }
        LinkEnds emptied = roundTrip(forgotten);
        assertThat(emptied.size()).isZero();
        assertThat(emptied.link).isEmpty();
        assertThat(emptied.add("l", "p", "intra", 2.0, 9L)).as("a link can be added again").isZero();
    }

    @Test
    void copiesDeeply() {
        LinkEnds s = eightLinks();
        LinkEnds copy = serializer.copy(s);
        assertSameEnds(copy, s);
        copy.baselineUs[0] = 99;
        copy.run[1] = 99;
        copy.open[2] = LinkLatencyDetector.FLAP;
        copy.link[3] = "other";
        copy.add("new", "peer", "fabric", 3.0, 1L);
        copy.lastMillis = 1L;
        assertSameEnds(s, eightLinks());
        assertThat(serializer.copy(new LinkEnds()).link).isNull();
    }

    @Test
    void copyingSerializedBytesKeepsTheValue() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(eightLinks(), out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void itsSnapshotRestoresItAndIsCompatibleWithItself() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<LinkEnds> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read).isInstanceOf(LinkEndsSerializer.Snapshot.class);
        assertThat(read.restoreSerializer()).isSameAs(serializer);
        TypeSerializerSchemaCompatibility<LinkEnds> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    /** The detector's state through a real checkpoint and restore: an open degraded link closes after it. */
    @Test
    void theDetectorResumesFromItsCheckpoint() throws Exception {
        OperatorSubtaskState checkpoint;
        try (KeyedOneInputStreamOperatorTestHarness<String, ChipSample, LinkEndEvent> before = harness()) {
            before.open();
            feed(before, 0, 60, 1.0);
            feed(before, 60, 10, 8.0);
            assertThat(before.extractOutputValues()).singleElement()
                    .satisfies(e -> assertThat(e.open()).isTrue())
                    .satisfies(e -> assertThat(e.type()).isEqualTo("LINK_DEGRADED"));
            checkpoint = before.snapshot(1L, 70_000L);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, ChipSample, LinkEndEvent> after = harness()) {
            after.initializeState(checkpoint);
            after.open();
            feed(after, 70, 30, 1.0);
            assertThat(after.extractOutputValues()).singleElement()
                    .satisfies(e -> assertThat(e.open()).as("closes the episode opened before").isFalse())
                    .satisfies(e -> assertThat(e.baselineUs()).isCloseTo(1.85, offset(0.01)));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ChipSample, LinkEndEvent> harness()
            throws Exception {
        LinkLatencyDetector detector = new LinkLatencyDetector(DetectionConfig.defaults().link());
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(detector), ChipSample::chip,
                Types.STRING);
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, ChipSample, LinkEndEvent> h,
                             int fromSecond, int seconds, double factor) throws Exception {
        for (int i = fromSecond; i < fromSecond + seconds; i++) {
            long ts = i * 1000L;
            h.processElement(new ChipSample(ts, "c1", "n1", "r1", "p1", null, 50, 60, 300,
                    List.of(new LinkLatency("c1~c2", "c2", LinkKind.INTRA, 1.85 * factor))), ts);
        }
    }

    private LinkEnds roundTrip(LinkEnds s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        LinkEnds back = serializer.deserialize(in);
        assertThat(in.available()).as("reads all it wrote").isZero();
        return back;
    }

    private static void assertSameEnds(LinkEnds actual, LinkEnds expected) {
        assertThat(actual).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class)
                .isEqualTo(expected);
    }
}
