package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Resolution;
import io.chipwatch.jobs.datatypes.Rollup;
import io.chipwatch.jobs.sketch.LatencySketch;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CapacityAggregateTest {
    private final CapacityAggregate aggregate = new CapacityAggregate();

    @Test
    void aChipMinuteAveragesItsTenSecondPointsAndAddsTheirSamples() {
        CapacityAccumulator acc = aggregate.createAccumulator();
        for (int i = 0; i < 6; i++) {
            aggregate.add(CapacityPoint.of(new ChipWindow("c1", "n1", "r1", "p1", "j", i * 10_000L,
                    10.0 * i, 10.0 * i + 5, 50, 60, 100 + i, 120, 10 - i % 2)), acc);
        }

        CapacityPoint minute = aggregate.getResult(acc).toPoint(Resolution.MINUTE, 0L);

        assertThat(minute).isEqualTo(new CapacityPoint(Level.CHIP, Resolution.MINUTE, "c1", "n1", "r1", "p1", "j",
                0L, 6, 150.0, 55.0, 615.0, 57));
        assertThat(new CapacityAggregate.Key().getKey(minute)).isEqualTo("CHIP:c1|j");
        assertThat(minute.utilMean()).isEqualTo(25.0);
        assertThat(minute.powerMean()).isEqualTo(102.5);
        assertThat(minute.entity()).isEqualTo("c1");
    }

    @Test
    void aRollupKeepsTheMostChipsReportingAndAnHourEqualsItsMinutes() {
        CapacityAccumulator minute1 = aggregate.createAccumulator();
        CapacityAccumulator minute2 = aggregate.createAccumulator();
        CapacityAccumulator direct = aggregate.createAccumulator();
        for (int i = 0; i < 12; i++) {
            CapacityPoint row = CapacityPoint.of(new Rollup(Level.RACK, null, "r1", "p1", null, i * 10_000L,
                    i == 3 ? 79 : 80, 80 * 40.0 + i, 10, 90 + i, 70, 20_000 + i, new LatencySketch()));
            aggregate.add(row, i < 6 ? minute1 : minute2);
            aggregate.add(row, direct);
        }
        CapacityAccumulator hour = aggregate.createAccumulator();
        aggregate.add(minute1.toPoint(Resolution.MINUTE, 0L), hour);
        aggregate.add(minute2.toPoint(Resolution.MINUTE, 60_000L), hour);

        CapacityPoint fromMinutes = hour.toPoint(Resolution.HOUR, 0L);

        assertThat(fromMinutes).isEqualTo(direct.toPoint(Resolution.HOUR, 0L));
        assertThat(fromMinutes.count()).isEqualTo(80);
        assertThat(fromMinutes.points()).isEqualTo(12);
        assertThat(fromMinutes.utilMax()).isEqualTo(101.0);
        assertThat(fromMinutes.entity()).isEqualTo("r1");
        assertThat(aggregate.merge(minute1, minute2).toPoint(Resolution.HOUR, 0L)).isEqualTo(fromMinutes);
        assertThat(new CapacityAggregate.Key().getKey(fromMinutes)).isEqualTo("RACK:r1");
    }

    @Test
    void minuteWindowEmitsOnePointPerEntityAndClearsItsState() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, CapacityPoint, CapacityPoint> harness = harness()) {
            harness.open();
            for (long t : List.of(0L, 10_000L, 50_000L, 60_000L)) {
                CapacityPoint row = CapacityPoint.of(new ChipWindow("c1", "n1", "r1", "p1", null, t, 1, 1, 1, 1, 1, 1, 1));
                harness.processElement(row, t + 9_999L);
            }
            harness.processElement(CapacityPoint.of(new Rollup(Level.NODE, "n1", "r1", "p1", null, 0L, 2, 2, 1, 1, 1, 1,
                    new LatencySketch())), 9_999L);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

            harness.processWatermark(59_999L);

            assertThat(harness.extractOutputValues()).extracting(CapacityPoint::level, CapacityPoint::points)
                    .containsExactlyInAnyOrder(tuple(Level.CHIP, 3L),
                            tuple(Level.NODE, 1L));
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            harness.processWatermark(119_999L);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CapacityPoint, CapacityPoint> harness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<CapacityPoint> minutes = env.fromData(CapacityPoint.of(
                        new ChipWindow("c1", "n1", "r1", "p1", null, 0L, 1, 1, 1, 1, 1, 1, 1)))
                .keyBy(new CapacityAggregate.Key(), Types.STRING)
                .window(TumblingEventTimeWindows.of(Resolution.MINUTE.duration()))
                .aggregate(new CapacityAggregate(), new CapacityAggregate.Emit(Resolution.MINUTE));
        OneInputTransformation<CapacityPoint, CapacityPoint> transformation =
                (OneInputTransformation<CapacityPoint, CapacityPoint>) minutes.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(),
                new CapacityAggregate.Key(), Types.STRING);
    }
}
