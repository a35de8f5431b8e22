package io.chipwatch.jobs.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    @Test
    void everyValueLiesInItsBucketAndBucketsAreNarrowerThanTheStatedPrecision() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long v = i < 5000 ? i : (long) Math.exp(random.nextDouble() * Math.log(1e12));
            int index = LatencySketch.bucketIndex(v);
            long low = LatencySketch.lowestValueOf(index);
            long high = LatencySketch.highestValueOf(index);
            assertThat(v).as("value %d in bucket %d", v, index).isBetween(low, high);
            assertThat((double) (high - low)).isLessThanOrEqualTo(low * LatencySketch.RELATIVE_PRECISION);
            assertThat(LatencySketch.bucketIndex(high + 1)).isEqualTo(index + 1);
        }
    }

    @Test
    void bucketsAreHdrHistogramsForThreeSignificantDigits() {
        Histogram hdr = new Histogram(3);
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            long v = 1 + (long) Math.exp(random.nextDouble() * Math.log(1e10));
            assertThat(LatencySketch.lowestValueOf(LatencySketch.bucketIndex(v))).isEqualTo(hdr.lowestEquivalentValue(v));
            assertThat(LatencySketch.highestValueOf(LatencySketch.bucketIndex(v))).isEqualTo(hdr.highestEquivalentValue(v));
        }
    }

    @Test
    void percentilesAreTheExactNearestRankWithinTheStatedPrecisionAndMatchHdrHistogram() {
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(round < 100 ? 20 : 5000);
            double[] values = new double[n];
            LatencySketch sketch = new LatencySketch();
            Histogram hdr = new Histogram(3);
            for (int i = 0; i < n; i++) {
                // Microseconds with nanosecond resolution, like the simulator's readings: 0.5 µs to 50 ms.
                values[i] = Math.round(Math.exp(Math.log(0.5) + random.nextDouble() * Math.log(1e5)) * 1000) / 1000.0;
                sketch.recordMicros(values[i]);
                hdr.recordValue(Math.round(values[i] * 1000));
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            for (double p : new double[]{0, 1, 50, 90, 99, 99.9, 100}) {
                double exact = sorted[(int) Math.max(0, Math.ceil(p / 100 * n) - 1)];
                double reported = sketch.percentileMicros(p);
                assertThat(reported).as("p%s of %d values", p, n)
                        .isGreaterThanOrEqualTo(exact)
                        .isLessThanOrEqualTo(exact * (1 + LatencySketch.RELATIVE_PRECISION));
                if (p > 0) {
                    // HdrHistogram reports the bucket's highest value; the sketch caps it at the exact maximum.
                    long hdrUnits = Math.min(hdr.getValueAtPercentile(p), Math.round(sorted[n - 1] * 1000));
                    assertThat(reported).isEqualTo(hdrUnits / 1000.0);
                }
            }
            assertThat(sketch.maxMicros()).isEqualTo(sorted[n - 1]);
            assertThat(sketch.totalCount()).isEqualTo(n);
        }
    }

    @Test
    void mergingGivesTheSketchOfAllValues() {
        Random random = new Random(5);
        LatencySketch all = new LatencySketch();
        LatencySketch merged = new LatencySketch();
        for (int part = 0; part < 8; part++) {
            LatencySketch sketch = new LatencySketch();
            for (int i = 0; i < 1 + random.nextInt(30); i++) {
                double us = 1 + random.nextDouble() * (part == 3 ? 500 : 5);
                sketch.recordMicros(us);
                all.recordMicros(us);
            }
            LatencySketch before = sketch.copy();
            merged.merge(sketch);
            assertThat(sketch).as("the merged-in sketch is unchanged").isEqualTo(before);
        }
        merged.merge(new LatencySketch());

        assertThat(merged).isEqualTo(all);
        assertThat(merged.percentileMicros(99)).isEqualTo(all.percentileMicros(99));
    }

    @Test
    void mergingInPlaceAgreesWithRecordingEverythingWhateverTheOverlap() {
        Random random = new Random(9);
        for (int round = 0; round < 500; round++) {
            LatencySketch all = new LatencySketch();
            LatencySketch merged = new LatencySketch();
            List<LatencySketch> parts = new ArrayList<>();
            for (int part = 0; part < 1 + random.nextInt(6); part++) {
                LatencySketch sketch = new LatencySketch();
                int n = random.nextInt(12);
                for (int i = 0; i < n; i++) {
                    long units = random.nextInt(3) == 0 ? 1000 + random.nextInt(20) : random.nextInt(100_000);
                    sketch.recordUnits(units);
                    all.recordUnits(units);
                }
                parts.add(sketch);
                merged.merge(sketch);
            }
            assertThat(merged).isEqualTo(all);
            assertThat(LatencySketch.mergeOf(parts)).isEqualTo(all);
        }
    }

    @Test
    void emptySketchHasNoPercentiles() {
        LatencySketch empty = new LatencySketch();
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.percentileMicros(50)).isNaN();
        assertThat(empty.maxMicros()).isNaN();
        assertThatThrownBy(() -> sketchOf(1.0).percentileMicros(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeValuesCountAsZero() {
        LatencySketch s = sketchOf(-3.0, 2.0);
        assertThat(s.percentileMicros(1)).isZero();
        assertThat(s.maxMicros()).isEqualTo(2.0);
    }

    @Test
    void flinkSerializesItWithItsOwnCompactSerializer() throws Exception {
        assertThat(TypeInformation.of(LatencySketch.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(LatencySketchSerializer.INSTANCE);
        LatencySketch sketch = new LatencySketch();
        for (int i = 0; i < 10; i++) {
            sketch.recordMicros(3.9 + i * 0.013);
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        LatencySketchSerializer.INSTANCE.serialize(sketch, out);
        LatencySketchSerializer.INSTANCE.serialize(new LatencySketch(), out);
        assertThat(out.length()).as("ten latencies and an empty sketch").isLessThan(40);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        LatencySketch back = LatencySketchSerializer.INSTANCE.deserialize(in);
        LatencySketch emptyBack = LatencySketchSerializer.INSTANCE.deserialize(in);
        assertThat(back).isEqualTo(sketch);
        assertThat(back.percentileMicros(99)).isEqualTo(sketch.percentileMicros(99));
        assertThat(emptyBack).isEqualTo(new LatencySketch());

        // Stream-to-stream copy and deep copies.
        DataOutputSerializer copied = new DataOutputSerializer(64);
        LatencySketchSerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(LatencySketchSerializer.INSTANCE.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
                .isEqualTo(sketch);
        LatencySketch copy = LatencySketchSerializer.INSTANCE.copy(sketch);
        copy.recordMicros(100);
        assertThat(sketch.totalCount()).isEqualTo(10);
        assertThat(LatencySketchSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(LatencySketchSerializer.INSTANCE);
    }

    private static LatencySketch sketchOf(double... us) {
        LatencySketch s = new LatencySketch();
        for (double v : us) {
            s.recordMicros(v);
        }
        return s;
    }
}
