package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.testing.CollectingSink;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.KeyedValue;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.jobs.testing.RawRecords;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Topology;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detection job's input guards on a MiniCluster, samples timestamped around the real clock: a 16-chip cluster
 * (two nodes) reporting steadily for 40 s, into which one sample stamped a year ahead and a chip outside the
 * topology (a would-be node {@code p00-r00-n05}) are mixed. Guarded as the local stack runs it ({@code --chips 16},
 * default time bounds) nothing is raised; without the guards (a replay's {@code anyTime()}, any chip) the same
 * records raise node_down for every node, the phantom one included.
 */
class DetectionJobGuardsTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    private static final int CHIPS = 16;
    private static final String PHANTOM_CHIP = "p00-r00-n05-c00";

    /** 40 s of samples ending a minute ago, a year-ahead sample of the first chip at second 20, a phantom chip. */
    private static List<KeyedValue> records(long startMillis) {
        ChipSampleCodec codec = new ChipSampleCodec();
        List<Chip> chips = Topology.build(ClusterShape.DEFAULT, CHIPS).chips();
        List<KeyedValue> records = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            long ts = startMillis + s * 1000L;
            for (Chip c : chips) {
                records.add(new KeyedValue(c.id(), codec.encode(sample(ts, c.id(), c.node(), c.rack(), c.pod(), s))));
            }
            if (s < 10) {
                records.add(new KeyedValue(PHANTOM_CHIP,
                        codec.encode(sample(ts, PHANTOM_CHIP, "p00-r00-n05", "p00-r00", "p00", s))));
            }
            if (s == 20) {
                Chip first = chips.get(0);
                long aYearAhead = ts + Duration.ofDays(365).toMillis();
                records.add(new KeyedValue(first.id(), codec.encode(
                        sample(aYearAhead, first.id(), first.node(), first.rack(), first.pod(), s))));
            }
        }
        return records;
    }

    private static ChipSample sample(long ts, String chip, String node, String rack, String pod, int second) {
        return new ChipSample(ts, chip, node, rack, pod, null, 5, 40 + (second % 3) * 0.1, 90, List.of());
    }

    private static List<Anomaly> run(DetectionJobArguments arguments) throws Exception {
        List<KeyedValue> records = records(System.currentTimeMillis() - Duration.ofSeconds(100).toMillis());
        CollectingSink<Anomaly> anomalies = new CollectingSink<>();
        DetectionJobConfig config = arguments.bootstrapServers("unused:9092").parallelism(1)
                .checkpointInterval(Duration.ofSeconds(1)).build();
        JobRuns.built(config, (env, c) -> DetectionJob.build(env, c, RawRecords.source(records, 400), anomalies, null))
                .execute("detection-guards-test");
        return anomalies.results();
    }

    @Test
    void aForgedTimestampOrAChipOutsideTheTopologyRaisesNothing() throws Exception {
        List<Anomaly> anomalies = run(new DetectionJobArguments().chips(CHIPS));

        assertThat(anomalies).as("the year-ahead sample never moved event time, the phantom chip never "
                + "reached a detector").isEmpty();
    }

    @Test
    void withoutTheGuardsTheSameRecordsPageEveryNodeAndAPhantomOne() throws Exception {
        List<Anomaly> anomalies = run(new DetectionJobArguments().anyTime());

        assertThat(anomalies.stream().filter(a -> a.state() == AnomalyState.OPEN)
                .filter(a -> a.type() == AnomalyType.NODE_DOWN).map(Anomaly::entity))
                .containsExactlyInAnyOrder("p00-r00-n00", "p00-r00-n01", "p00-r00-n05");
    }
}
