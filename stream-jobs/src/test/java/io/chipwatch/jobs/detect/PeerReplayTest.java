package io.chipwatch.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PeerDetector} on real values: readings of single nodes that the simulator made in the long-mixed run (every
 * imperfection on, so jobs move through compute-bound, memory-bound and communication phases), in the order the
 * transport delivered them, with the watermark trailing the newest sample. Each replay starts 30-40 s before its
 * fault, on a detector with no history.
 */
class PeerReplayTest {
    private static final long WATERMARK_LAG_MS = 1400;
    private static final String LONG_MIXED = "/peer-mixed-phases.csv";
    private static final String CASCADES = "/peer-cascades-throttle.csv";

    /** One sample of the file: simulated second, node suffix, chip suffix, job (empty: idle), utilisation, power. */
    private record Row(long second, String node, String chip, String job, double util, double powerW) {
    }

    private static List<Row> rows(String resource, String node, long from, long to) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String[] f : ReplayCsv.fields(resource)) {
            long second = Long.parseLong(f[0]);
            if (f[1].equals(node) && second >= from && second <= to) {
                rows.add(new Row(second, f[1], f[2], f[3], Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            }
        }
        assertThat(rows).as("readings of %s in %d-%d s", node, from, to).hasSizeGreaterThan(8 * (int) (to - from) / 2);
        return rows;
    }

    /** Replays the long-mixed readings of node {@code node} from second {@code from} to {@code to}. */
    private static List<Anomaly> replay(String node, long from, long to) throws Exception {
        return replay(LONG_MIXED, node, from, to);
    }

    /** Replays {@code resource}'s readings of node {@code node} from {@code from} to {@code to}: the opened anomalies. */
    private static List<Anomaly> replay(String resource, String node, long from, long to) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ChipReading, Anomaly> detector =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                             new PeerDetector(DetectionConfig.defaults()), ChipReading::node, Types.STRING)) {
            long newest = Long.MIN_VALUE;
            for (Row row : rows(resource, node, from, to)) {
                long ts = row.second() * 1000;
                String nodeId = "p00-" + row.node();
                detector.processElement(new ChipReading(ts, nodeId + "-" + row.chip(), nodeId,
                        nodeId.substring(0, "p00-r00".length()), "p00", row.job().isEmpty() ? null : row.job(),
                        row.util(), row.powerW(), 60, 0, false, true), ts);
                if (ts > newest) {
                    newest = ts;
                    detector.processWatermark(newest - WATERMARK_LAG_MS);
                }
            }
            return detector.extractOutputValues().stream().filter(a -> a.state() == AnomalyState.OPEN).toList();
        }
    }

    /**
     * In the long-mixed run 5 of these 12 throttled chips were called stragglers (7 straggler anomalies, no throttle):
     * each decided over 2 compute samples reading 0.62-0.69 of the peers, with the power under the cap but not
     * reading one ceiling twice yet. A capped chip's 1 s readings mix compute held at the cap (about half its peers'
     * utilisation) with memory-bound parts the cap barely slows, so its ratio to its peers swings from one reading
     * to the next (0.76 then 0.51 for r03-n07-c03 at 1860-1862 s; 0.92 then 0.59 for r01-n08-c00 at 2547-2549 s)
     * and only their mean sits in the straggler range. The power reads its ceiling one or two samples later.
     */
    @ParameterizedTest
    @CsvSource({"r03-n07, c03, 1860", "r09-n07, c02, 6090", "r00-n04, c04, 6660", "r01-n08, c00, 2490",
            "r01-n08, c06, 4890"})
    void aThrottledChipWhoseReadingsMixCappedAndMemoryBoundPartsIsThrottledNotAStraggler(String node, String chip,
                                                                                       long onset) throws Exception {
        List<Anomaly> found = replay(node, onset - 40, onset + 70);

        String target = "p00-" + node + "-" + chip;
        assertThat(found).isNotEmpty().allSatisfy(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.POWER_THROTTLE);
            assertThat(a.entity()).isEqualTo(target);
        });
        // Found within seconds of the chip's first compute samples under the cap (r09-n07's job idles until 6129 s;
        // r01-n08-c06's shortfalls last 1-2 compute samples, broken by memory-bound ones, until 4906-4907 s read its
        // ceiling twice: 17 s).
        long firstCompute = node.equals("r09-n07") ? 6129 : onset;
        assertThat(found.get(0).startMillis() / 1000).isBetween(firstCompute, firstCompute + 20);
    }

    /**
     * Stragglers of the same run, at 0.63 (r02-n09-c04), 0.68 (r00-n07-c06) and 0.60 (r07-n07-c01) of their peers in
     * every reading, memory-bound or not: a steady ratio, called as fast as {@code PeerDetectorTest} requires of a
     * synthetic straggler (3 s; 12 s at the catalogue's edge of 0.6, below {@code straggler.minUtilRatio}).
     */
    @ParameterizedTest
    @CsvSource({"r02-n09, c04, 600, 3", "r00-n07, c06, 1800, 3", "r07-n07, c01, 6180, 12"})
    void aStragglerOfTheSameRunIsStillCalledAsFast(String node, String chip, long onset, long maxSeconds)
            throws Exception {
        List<Anomaly> found = replay(node, onset - 40, onset + 50);

        assertThat(found).isNotEmpty().allSatisfy(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.STRAGGLER);
            assertThat(a.entity()).isEqualTo("p00-" + node + "-" + chip);
        });
        assertThat(found.get(0).startMillis() / 1000).isBetween(onset, onset + maxSeconds);
    }

    /**
     * In the cascades run this chip's cap began in the memory-bound part of its job's step, which the cap barely
     * slows: 0.86 then 0.84 of its peers at 1140-1141 s, a steady shortfall that was called a straggler although the
     * catalogue's stragglers run 0.6-0.8 of their peers. Shallower than {@code straggler.maxUtilRatio} it waits: the
     * next compute samples read 0.53 and the power's ceiling (229.711 W) again.
     */
    @Test
    void aChipCappedInAMemoryBoundPartIsThrottledNotAStraggler() throws Exception {
        List<Anomaly> found = replay(CASCADES, "r04-n08", 1100, 1210);

        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.POWER_THROTTLE);
            assertThat(a.entity()).isEqualTo("p00-r04-n08-c06");
            assertThat(a.startMillis() / 1000).isBetween(1140L, 1150L);
        });
    }

    @Test
    void theHealthyMinutesBeforeTheFaultsRaiseNothing() throws Exception {
        assertThat(replay("r01-n08", 2450, 2489)).isEmpty();
        assertThat(replay("r02-n09", 560, 599)).isEmpty();
    }
}
