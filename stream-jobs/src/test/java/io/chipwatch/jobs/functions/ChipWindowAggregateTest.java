package io.chipwatch.jobs.functions;

import static io.chipwatch.jobs.functions.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.jobs.sketch.LatencySketch;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ChipWindowAggregateTest {
    // Values are multiples of 1/4 whose sums divide evenly, so every expected mean below is exact.
    private static final ChipSample AT_1S = sample("c1", 1_000L, null, 10.5, 60.0, 200.25);
    private static final ChipSample AT_3S = sample("c1", 3_000L, "job-a", 90.0, 70.5, 390.75);
    private static final ChipSample AT_2S = sample("c1", 2_000L, "job-b", 39.0, 66.0, 300.0);

    private final ChipWindowAggregate aggregate = new ChipWindowAggregate();

    @Test
    void computesCountMeansAndMaxima() {
        ChipWindowAccumulator acc = addAll(aggregate.createAccumulator(), AT_1S, AT_3S, AT_2S);

        ChipWindow w = aggregate.getResult(acc).toChipWindow("c1", 0L);

        // util (10.5 + 90 + 39) / 3 = 46.5; temp (60 + 70.5 + 66) / 3 = 65.5; power (200.25 + 390.75 + 300) / 3 = 297
        // every sample has one fabric link at 4.25 µs (Samples.sample)
        assertThat(w).isEqualTo(new ChipWindow("c1", "n-c1", "r1", "p1", "job-a", 0L,
                46.5, 90.0, 65.5, 70.5, 297.0, 390.75, 3, 4.25, 4.25, 4.25));
    }

    @Test
    void takesIdsAndJobFromTheLatestSamplesByEventTimeNotArrival() {
        ChipSample moved = new ChipSample(4_000L, "c1", "n-other", "r-other", "p-other", null, 1, 1, 1, List.of());

        ChipWindowAccumulator acc = addAll(aggregate.createAccumulator(), moved, AT_3S, AT_1S, AT_2S);
        ChipWindow w = acc.toChipWindow("c1", 0L);

        assertThat(w.node()).isEqualTo("n-other");
        assertThat(w.rack()).isEqualTo("r-other");
        assertThat(w.pod()).isEqualTo("p-other");
        // The latest sample has no job; the latest one that had a job (3 s) names it.
        assertThat(w.job()).isEqualTo("job-a");
    }

    @Test
    void jobIsNullWhenNoSampleHadOne() {
        ChipWindowAccumulator acc = addAll(aggregate.createAccumulator(), AT_1S);

        assertThat(acc.toChipWindow("c1", 0L).job()).isNull();
    }

    @Test
    void negativeValuesGiveTheirOwnMaximum() {
        ChipWindowAccumulator acc = addAll(aggregate.createAccumulator(),
                sample("c1", 1_000L, null, -2.0, -10.0, -1.0), sample("c1", 2_000L, null, -4.0, -20.0, -3.0));

        ChipWindow w = acc.toChipWindow("c1", 0L);

        assertThat(w.utilMax()).isEqualTo(-2.0);
        assertThat(w.tempMax()).isEqualTo(-10.0);
        assertThat(w.powerMax()).isEqualTo(-1.0);
        assertThat(w.utilMean()).isEqualTo(-3.0);
    }

    @Test
    void mergeEqualsAddingEverythingToOneAccumulator() {
        ChipWindowAccumulator left = addAll(aggregate.createAccumulator(), AT_3S);
        ChipWindowAccumulator right = addAll(aggregate.createAccumulator(), AT_1S, AT_2S);

        assertThat(aggregate.merge(left, right).toChipWindow("c1", 0L))
                .isEqualTo(addAll(aggregate.createAccumulator(), AT_1S, AT_2S, AT_3S).toChipWindow("c1", 0L));
        assertThat(aggregate.merge(right, left).toChipWindow("c1", 0L))
                .isEqualTo(addAll(aggregate.createAccumulator(), AT_1S, AT_2S, AT_3S).toChipWindow("c1", 0L));
    }

    /** The functions inside the real window operator, as the job wires them: fired by the watermark. */
    @Test
    void tumblingWindowEmitsOneRowPerChipAndWindowWhenTheWatermarkPassesItsEnd() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipWindow> harness = windowHarness()) {
            harness.open();
            process(harness, AT_1S, AT_3S, AT_2S,
                    sample("c2", 9_999L, null, 5.0, 30.0, 80.0),
                    sample("c1", 10_000L, "job-a", 100.0, 75.25, 400.0));

            harness.processWatermark(9_998L);
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.processWatermark(9_999L);
            assertThat(harness.extractOutputValues()).containsExactlyInAnyOrder(
                    new ChipWindow("c1", "n-c1", "r1", "p1", "job-a", 0L, 46.5, 90.0, 65.5, 70.5, 297.0, 390.75, 3,
                            4.25, 4.25, 4.25),
                    new ChipWindow("c2", "n-c2", "r1", "p1", null, 0L, 5.0, 5.0, 30.0, 30.0, 80.0, 80.0, 1,
                            4.25, 4.25, 4.25));

            harness.processWatermark(19_999L);
            assertThat(harness.extractOutputValues()).hasSize(3).last().isEqualTo(
                    new ChipWindow("c1", "n-c1", "r1", "p1", "job-a", 10_000L,
                            100.0, 100.0, 75.25, 75.25, 400.0, 400.0, 1, 4.25, 4.25, 4.25));
        }
    }

    @Test
    void aggregatesEachLinkWithExactMeanAndMaxAndASketchedP99EvenWhenTheLinkOrderChanges() {
        ChipSample first = linked(1_000L, link("l1", 4.0), link("l2", 2.0), fabric(5.0));
        ChipSample reordered = linked(2_000L, fabric(5.5), link("l2", 2.25), link("l1", 4.5));
        ChipSample withoutL2 = linked(3_000L, link("l1", 6.5), fabric(4.5));

        ChipWindowAccumulator acc = addAll(aggregate.createAccumulator(), first, reordered, withoutL2);
        List<LinkWindow> rows = acc.toLinkWindows("c1", 0L);

        assertThat(rows).containsExactly(
                new LinkWindow("l1", "c1", "peer-l1", "n-c1", "r1", "p1", "intra", 0L, 5.0, 6.5, 6.5, 3),
                new LinkWindow("l2", "c1", "peer-l2", "n-c1", "r1", "p1", "intra", 0L, 2.125, 2.25, 2.25, 2),
                new LinkWindow("c1~sw", "c1", "r1-sw", "n-c1", "r1", "p1", "fabric", 0L, 5.0, 5.5, 5.5, 3));
        LatencySketch all = acc.linkLatency();
        assertThat(all.totalCount()).isEqualTo(8);
        // 2.0, 2.25, 4.0, 4.5, 4.5, 5.0, 5.5, 6.5: the 4th of 8 is the median, reported as the top of its
        // sketch bucket [4.500, 4.503] µs.
        assertThat(all.percentileMicros(50)).isEqualTo(4.503);
        assertThat(all.maxMicros()).isEqualTo(6.5);
    }

    @Test
    void mergeCombinesLinksById() {
        ChipWindowAccumulator left = addAll(aggregate.createAccumulator(), linked(1_000L, link("l1", 4.0), fabric(5.0)));
        ChipWindowAccumulator right = addAll(aggregate.createAccumulator(), linked(2_000L, fabric(6.0), link("l2", 1.0)));

        List<LinkWindow> rows = aggregate.merge(left, right).toLinkWindows("c1", 0L);

        assertThat(rows).extracting(LinkWindow::link, LinkWindow::samples, LinkWindow::latencyUsMax)
                .containsExactlyInAnyOrder(tuple("l1", 1L, 4.0), tuple("c1~sw", 2L, 6.0), tuple("l2", 1L, 1.0));
        assertThat(left.toLinkWindows("c1", 0L)).hasSize(2);
    }

    @Test
    void countsEachSampleTimeOnceWhateverTheArrivalOrder() {
        ChipSample retryOf2s = sample("c1", 2_000L, "job-b", 39.0, 66.0, 300.0);

        ChipWindowAccumulator acc = addAll(aggregate.createAccumulator(), AT_3S, AT_1S, AT_3S, AT_2S, retryOf2s, AT_1S);

        assertThat(acc.toChipWindow("c1", 0L)).isEqualTo(
                addAll(aggregate.createAccumulator(), AT_1S, AT_2S, AT_3S).toChipWindow("c1", 0L));
        assertThat(acc.toLinkWindows("c1", 0L)).singleElement().extracting(LinkWindow::samples).isEqualTo(3L);
        assertThat(Arrays.copyOf(acc.timestamps, (int) acc.count)).containsExactly(1_000L, 2_000L, 3_000L);
    }

    @Test
    void manySamplesInOneWindowStayDistinct() {
        ChipWindowAccumulator acc = aggregate.createAccumulator();
        for (int i = 0; i < 100; i++) {
            long t = (i * 37L) % 100 * 100; // 100 distinct times in scrambled order, at 10 Hz
            aggregate.add(sample("c1", t, null, 1, 1, 1), acc);
            aggregate.add(sample("c1", t, null, 1, 1, 1), acc);
        }
        assertThat(acc.count).isEqualTo(100);
        assertThat(Arrays.copyOf(acc.timestamps, 100)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void windowStateIsGoneOnceTheWindowHasFired() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipWindow> harness = windowHarness()) {
            harness.open();
            process(harness, AT_1S, AT_2S, AT_2S, sample("c2", 5_000L, null, 5.0, 30.0, 80.0));
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
            assertThat(harness.numEventTimeTimers()).isEqualTo(2);

            harness.processWatermark(9_999L);

            assertThat(harness.extractOutputValues()).extracting(ChipWindow::samples).containsExactlyInAnyOrder(2L, 1L);
            assertThat(harness.getSideOutput(EmitChipWindow.LINK_WINDOWS)).hasSize(2);
            assertThat(harness.getSideOutput(EmitChipWindow.CHIP_ROLLUPS)).hasSize(2);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void writesEveryLinkOnTheDetailIntervalAndOtherwiseOnlyUnhealthyOnesWithTheChipsSummaryOnEveryWindow()
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipWindow> harness = windowHarness()) {
            harness.open();
            // Window [0, 10 s) starts on the minute: both links written. Window [10 s, 20 s): l1 is healthy and
            // left out, l2 reaches 4 x 1.9 µs, the fabric link misses a reading.
            process(harness, linked(1_000L, link("l1", 2.0), link("l2", 2.0), fabric(4.0)),
                    linked(11_000L, link("l1", 2.0), link("l2", 2.0), fabric(4.0)),
                    linked(12_000L, link("l1", 3.0), link("l2", 7.6)));
            harness.processWatermark(19_999L);

            assertThat(harness.getSideOutput(EmitChipWindow.LINK_WINDOWS)).extracting(r -> r.getValue().link()
                    + "@" + r.getValue().windowStart()).containsExactly("l1@0", "l2@0", "c1~sw@0", "l2@10000",
                    "c1~sw@10000");
            List<ChipWindow> windows = harness.extractOutputValues();
            assertThat(windows).extracting(ChipWindow::linkLatencyUsMax).containsExactly(4.0, 7.6);
            // 2.0, 2.0, 3.0, 4.0, 7.6: p50 the 3rd, the top of its sketch bucket [3.000, 3.001]; p99 the max
            assertThat(windows.get(1).linkLatencyUsP50()).isEqualTo(3.001);
            assertThat(windows.get(1).linkLatencyUsP99()).isEqualTo(7.6);
            assertThat(windows.get(1).hasLinkLatency()).isTrue();
        }
    }

    @Test
    void aChipWithoutLinkReadingsHasNoLinkSummary() {
        ChipWindow w = addAll(aggregate.createAccumulator(), linked(1_000L)).toChipWindow("c1", 0L);

        assertThat(w.hasLinkLatency()).isFalse();
        assertThat(w.linkLatencyUsP50()).isNaN();
        assertThat(w.linkLatencyUsMax()).isNaN();
    }

    private static ChipSample linked(long timestamp, LinkLatency... links) {
        return new ChipSample(timestamp, "c1", "n-c1", "r1", "p1", null, 1, 1, 1, List.of(links));
    }

    private static LinkLatency link(String id, double latencyUs) {
        return new LinkLatency(id, "peer-" + id, LinkKind.INTRA, latencyUs);
    }

    private static LinkLatency fabric(double latencyUs) {
        return new LinkLatency("c1~sw", "r1-sw", LinkKind.FABRIC, latencyUs);
    }

    private static ChipWindowAccumulator addAll(ChipWindowAccumulator acc, ChipSample... samples) {
        ChipWindowAggregate aggregate = new ChipWindowAggregate();
        for (ChipSample s : samples) {
            acc = aggregate.add(s, acc);
        }
        return acc;
    }

    private static void process(KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipWindow> harness,
                                ChipSample... samples) throws Exception {
        for (ChipSample s : samples) {
            harness.processElement(s, s.timestampMillis());
        }
    }

    /**
     * Builds the window stage with the DataStream API, as the job does, and takes the operator it creates:
     * the window operator's builder is internal to Flink.
     */
    private static KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipWindow> windowHarness()
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<ChipWindow> windows = env.fromData(AT_1S)
                .keyBy(ChipSample::chip, Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
                .aggregate(new ChipWindowAggregate(), new EmitChipWindow(new LinkDetail(60_000L, 4.0)));
        OneInputTransformation<ChipSample, ChipWindow> transformation =
                (OneInputTransformation<ChipSample, ChipWindow>) windows.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(),
                ChipSample::chip, Types.STRING);
    }
}
