package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Rollup;
import io.chipwatch.jobs.sketch.LatencySketch;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class RollupAggregateTest {
    private static final Rollup C1 = chip("n1", "job-a", 40.0, 60.0, 70.0, 300.0, 2.0, 3.0);
    private static final Rollup C2 = chip("n1", "job-a", 80.0, 100.0, 75.5, 390.5, 4.0);
    private static final Rollup C3 = chip("n2", null, 10.0, 12.5, 50.0, 100.0);

    private final RollupAggregate aggregate = new RollupAggregate();

    @Test
    void sumsCountsExtremesAndMergesTheSketches() {
        RollupAccumulator acc = addAll(C1, C2, C3);

        Rollup rack = acc.toRollup(Level.RACK, 10_000L);

        assertThat(rack.level()).isEqualTo(Level.RACK);
        assertThat(rack.chips()).isEqualTo(3);
        assertThat(rack.utilMeanSum()).isEqualTo(130.0);
        assertThat(rack.utilMean()).isEqualTo(130.0 / 3);
        assertThat(rack.utilMin()).isEqualTo(10.0);
        assertThat(rack.utilMax()).isEqualTo(100.0);
        assertThat(rack.tempMax()).isEqualTo(75.5);
        assertThat(rack.powerSum()).isEqualTo(790.5);
        assertThat(rack.linkLatency().totalCount()).isEqualTo(3);
        assertThat(rack.linkLatency().maxMicros()).isEqualTo(4.0);
        assertThat(rack.windowStart()).isEqualTo(10_000L);
    }

    @Test
    void keepsOnlyTheIdsOfTheLevelAndTheLevelsAboveIt() {
        RollupAccumulator acc = addAll(C1, C2);

        assertThat(acc.toRollup(Level.NODE, 0L)).extracting(Rollup::node, Rollup::rack, Rollup::pod, Rollup::job)
                .containsExactly("n1", "r1", "p1", null);
        assertThat(acc.toRollup(Level.RACK, 0L)).extracting(Rollup::node, Rollup::rack, Rollup::pod, Rollup::job)
                .containsExactly(null, "r1", "p1", null);
        assertThat(acc.toRollup(Level.POD, 0L)).extracting(Rollup::node, Rollup::rack, Rollup::pod, Rollup::job)
                .containsExactly(null, null, "p1", null);
        assertThat(acc.toRollup(Level.CLUSTER, 0L)).extracting(Rollup::node, Rollup::rack, Rollup::pod, Rollup::job)
                .containsExactly(null, null, null, null);
        assertThat(acc.toRollup(Level.JOB, 0L)).extracting(Rollup::node, Rollup::rack, Rollup::pod, Rollup::job)
                .containsExactly(null, null, null, "job-a");
        assertThatThrownBy(() -> new RollupAccumulator().toRollup(Level.NODE, 0L))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rollingUpInStagesEqualsRollingUpAllAtOnce() {
        Rollup node1 = addAll(C1, C2).toRollup(Level.NODE, 0L);
        Rollup node2 = addAll(C3).toRollup(Level.NODE, 0L);

        Rollup staged = addAll(node1, node2).toRollup(Level.RACK, 0L);
        Rollup direct = addAll(C1, C2, C3).toRollup(Level.RACK, 0L);

        assertThat(staged).isEqualTo(direct);
        assertThat(aggregate.merge(addAll(C1), addAll(C2, C3)).toRollup(Level.RACK, 0L)).isEqualTo(direct);
    }

    @Test
    void aChipRowCarriesTheChipWindowValues() {
        ChipWindow w = new ChipWindow("c1", "n1", "r1", "p1", "job-a", 20_000L, 55.0, 90.0, 61.0, 70.0, 250.0, 300.0, 10);
        LatencySketch sketch = new LatencySketch();

        Rollup r = Rollup.ofChip(w, sketch);

        assertThat(r).isEqualTo(new Rollup(Level.CHIP, "n1", "r1", "p1", "job-a", 20_000L, 1, 55.0, 55.0, 90.0,
                70.0, 250.0, sketch));
    }

    @Test
    void keyIsTheEntityOfTheLevel() {
        Rollup r = new Rollup(Level.CHIP, "n1", "r1", "p1", "job-a", 0L, 1, 0, 0, 0, 0, 0, new LatencySketch());
        assertThat(new RollupKey(Level.NODE).getKey(r)).isEqualTo("n1");
        assertThat(new RollupKey(Level.RACK).getKey(r)).isEqualTo("r1");
        assertThat(new RollupKey(Level.POD).getKey(r)).isEqualTo("p1");
        assertThat(new RollupKey(Level.JOB).getKey(r)).isEqualTo("job-a");
        assertThat(new RollupKey(Level.CLUSTER).getKey(r)).isEqualTo(new RollupKey(Level.CLUSTER).getKey(C3));
    }

    /** The functions inside the real window operator: one row per node and window, state gone once it fired. */
    @Test
    void windowEmitsOneRowPerEntityAndWindowAndClearsItsState() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Rollup, Rollup> harness = harness(Level.NODE)) {
            harness.open();
            for (Rollup r : List.of(C1, C2, C3)) {
                harness.processElement(r, 9_999L);
            }
            Rollup nextWindow = chip("n1", null, 1.0, 1.0, 1.0, 1.0);
            harness.processElement(new Rollup(Level.CHIP, "n1", "r1", "p1", null, 10_000L, 1, 1, 1, 1, 1, 1,
                    nextWindow.linkLatency()), 19_999L);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

            harness.processWatermark(9_999L);

            assertThat(harness.extractOutputValues()).extracting(Rollup::node, Rollup::chips, Rollup::windowStart)
                    .containsExactlyInAnyOrder(tuple("n1", 2L, 0L),
                            tuple("n2", 1L, 0L));
            assertThat(harness.numKeyedStateEntries()).as("only n1's next window is left").isEqualTo(1);

            harness.processWatermark(19_999L);
            assertThat(harness.extractOutputValues()).hasSize(3);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Rollup, Rollup> harness(Level level) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<Rollup> rollups = env.fromData(C1)
                .keyBy(new RollupKey(level), Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
                .aggregate(new RollupAggregate(), new EmitRollup(level));
        OneInputTransformation<Rollup, Rollup> transformation =
                (OneInputTransformation<Rollup, Rollup>) rollups.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(),
                new RollupKey(level), Types.STRING);
    }

    private RollupAccumulator addAll(Rollup... rows) {
        RollupAccumulator acc = aggregate.createAccumulator();
        for (Rollup r : rows) {
            acc = aggregate.add(r, acc);
        }
        return aggregate.getResult(acc);
    }

    private static Rollup chip(String node, String job, double utilMean, double utilMax, double tempMax,
                               double powerMean, double... latenciesUs) {
        LatencySketch sketch = new LatencySketch();
        for (double l : latenciesUs) {
            sketch.recordMicros(l);
        }
        return new Rollup(Level.CHIP, node, "r1", "p1", job, 0L, 1, utilMean, utilMean, utilMax, tempMax, powerMean,
                sketch);
    }
}
