package io.chipwatch.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.sample.ChipSample;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The stuck-sensor detector on real values: readings of whole nodes that the simulator made in the long scenarios
 * (800 chips, seed 1, every imperfection on), through the real {@link ThermalFeatures} and the node-keyed detector,
 * in the simulator's order.
 */
class StuckReplayTest {
    /** The long-mixed run's first frozen sensor (f-0009): a chip of a training job, frozen at 69 °C from 270 s. */
    private static final String FROZEN_CHIP = "p00-r09-n01-c06";
    private static final long FROZEN_FROM_MS = 270_000L;

    /** One sample of a file: simulated millisecond, rack-node suffix, chip suffix, job (empty: idle), util, reading, power. */
    private record Row(long millis, String node, String chip, String job, double util, double tempC, double powerW) {
    }

    private static List<Row> rows(String resource) throws Exception {
        return ReplayCsv.fields(resource).stream().map(f -> new Row(Long.parseLong(f[0]), f[1], f[2], f[3],
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]))).toList();
    }

    /** Replays the rows, each instant complete once a later one is read; returns the stuck_sensor anomalies. */
    private static List<Anomaly> replay(List<Row> rows) throws Exception {
        return replay(rows, 1);
    }

    /**
     * Replays the rows with the watermark {@code lagMillis} behind the latest row read (a job reading several
     * partitions unevenly lets a late reading in before its instant's tick); returns the stuck_sensor anomalies.
     */
    private static List<Anomaly> replay(List<Row> rows, long lagMillis) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipReading> thermal =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                             new ThermalFeatures(DetectionConfig.defaults().thermal()), ChipSample::chip, Types.STRING);
             KeyedOneInputStreamOperatorTestHarness<String, ChipReading, Anomaly> detector =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                             new StuckSensorDetector(DetectionConfig.defaults()), ChipReading::node,
                             Types.STRING)) {
            for (Row row : rows) {
                String node = row.node().startsWith("p") ? row.node() : "p00-" + row.node();
                thermal.processElement(new ChipSample(row.millis(), node + "-" + row.chip(), node,
                        node.substring(0, "p00-r00".length()), node.substring(0, "p00".length()), row.job().isEmpty() ? null : row.job(),
                        row.util(), row.tempC(), row.powerW(), List.of()), row.millis());
                for (ChipReading r : thermal.extractOutputValues()) {
                    detector.processElement(r, row.millis());
                }
                thermal.getOutput().clear();
                detector.processWatermark(row.millis() - lagMillis);
            }
            detector.processWatermark(Long.MAX_VALUE);
            return detector.extractOutputValues().stream()
                    .filter(a -> a.type() == AnomalyType.STUCK_SENSOR).toList();
        }
    }

    @Test
    void idleChipsAndChipsWhoseJobHasJustStartedAreNotStuck() throws Exception {
        // Cascades: idle chips holding one whole-degree reading for minutes while the model moves 1.0-1.2 °C with
        // their power noise and their idle peers flicker. Without the job rule (v2) this replay raises two: r08-n00-c02
        // idle at 36 °C for 295 s ("model expected it to move 1.0 °C", 7 idle peers changing in 42 % of their
        // samples), and r08-n00-c05, idle at 38 °C for 910 s, at 1620 s: the first reading of its new job, when the
        // model had moved 1.2 °C with one second of load and the die had not yet. (The eval raised the same shapes on
        // r08-n00-c05 at 944 s, r08-n00-c02 at 1620 s and r07-n09-c02 at 2728 s: which chip meets the rule first
        // depends on how the node's chips interleave.) A live sensor on an idle chip has nothing it must do.
        List<Anomaly> found = replay(rows("stuck-cascades-idle.csv"));
        assertThat(found).isEmpty();
    }

    @Test
    void aLateReadingDoesNotMakeARunOfTheReadingsAroundIt() throws Exception {
        // Churn: c01's job swings 180-370 W every ~11 s and its die reads 64-66 °C. Its readings of 4171 s (66) and
        // 4174 s (64) arrived after later ones; they went out as the last accepted reading, 65, and with the tick
        // ordering the detector saw 65 six times in a row while the model moved 3.0 °C: a false stuck_sensor at
        // 4176 s. A late reading is now a suspect with its own temperature, for no run.
        List<Anomaly> found = replay(rows("stuck-churn-late.csv"), 5_000);
        assertThat(found).isEmpty();
    }

    @Test
    void aLiveDieThatSwingsWithinItsDegreeWhileItsModelSettlesIsNotStuck() throws Exception {
        // A quiet 10,000-chip run: c00 of node p01-r17-n08 reads 61 for 120 s (1800-1919 s) as its job settles. Its
        // model moved 1.6 °C over the window, mostly the slow settling that its own time constant had already done,
        // and swung 0.37 °C within each 10 s (the job's phases swing its power 190-308 W); its 7 peers changed in a
        // median 22 % of their samples. A live die swinging 0.4 °C can stay inside one degree for minutes.
        List<Anomaly> found = replay(rows("stuck-quiet-settling.csv"));
        assertThat(found).isEmpty();
    }

    @Test
    void anIdleChipWhoseModelDriftsForMinutesIsNotStuck() throws Exception {
        // A quiet 10,000-chip run, seed 2: c04 of node p02-r08-n03 cools from 53 °C as its job ends (about 700 s)
        // and reads 44 from 790 s on, idle. Its model, whose lag is not the die's own, settled later, and its baseline
        // crept on: over the run's 1,117 s it moved 3.0 °C, never 3 °C within the last two minutes. A
        // die follows a move of its model within the thermal lag; a drift spread over a quarter of an hour says
        // nothing.
        List<Anomaly> found = replay(rows("stuck-quiet-idle-drift.csv"));
        assertThat(found).isEmpty();
    }

    @Test
    void aSensorFrozenOnABusyChipIsStillFound() throws Exception {
        // Long-mixed: the simulator froze the sensor of a training chip at 69 °C (f-0009, 270-450 s) while the job's
        // phases swing its power 185-380 W; its peers on the job flicker. Found by the steady rule within its window.
        List<Anomaly> found = replay(rows("stuck-long-mixed-frozen.csv"));
        assertThat(found).isNotEmpty();
        Anomaly open = found.get(0);
        assertThat(open.state()).isEqualTo(AnomalyState.OPEN);
        assertThat(open.entity()).isEqualTo(FROZEN_CHIP);
        assertThat(open.startMillis()).isBetween(FROZEN_FROM_MS, FROZEN_FROM_MS + 130_000L);
        assertThat(open.detail()).contains("node peers on the job");
        assertThat(found).allSatisfy(a -> assertThat(a.entity()).isEqualTo(FROZEN_CHIP));
    }

    @Test
    void aRackWideInletChangeIsNotAFrozenSensorAndASensorFrozenInsideIsFound() throws Exception {
        // Cascades: rack p00-r01's cooling fails at 300-660 s (every chip heats ~15 °C). Chip r01-n07-c03's sensor
        // freezes at 82 °C at 360 s (f-0003), 15 °C above what its own model expects: the model follows power only,
        // not the inlet, so v3's excess guard took the frozen chip for heat and missed it; its node peers share that
        // excess. Chip r01-n05-c06 comes back at 480 s from a chip_down (360-480 s) and its model re-anchors on a
        // temperature it takes for power: v3 raised it 7 s later ("model expected it to move 3.7 °C"). Rack p00-r07's
        // cooling ends at 1980 s as its node r07-n07's job steps from ~100 W to ~290 W: the die holds its reading
        // while the model climbs, and v3 raised r07-n07-c02, -c03 and -c04 at 2004-2030 s ("model expected it to
        // move 3.0-3.4 °C"); their peers' excess fell by as much.
        List<Anomaly> found = replay(rows("stuck-cascades-inlet.csv"));
        assertThat(found).isNotEmpty();
        assertThat(found).allSatisfy(a -> assertThat(a.entity()).isEqualTo("p00-r01-n07-c03"));
        Anomaly open = found.get(0);
        assertThat(open.state()).isEqualTo(AnomalyState.OPEN);
        assertThat(open.startMillis()).isBetween(360_000L, 540_000L);
    }
}
