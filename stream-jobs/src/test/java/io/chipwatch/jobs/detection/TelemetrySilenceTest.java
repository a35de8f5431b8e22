package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.testing.CollectingSink;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.KeyedValue;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.jobs.testing.RawRecords;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
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
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A collector or stack restart on the whole {@link DetectionJob} (MiniCluster, records in memory): 80 chips (ten
 * nodes) at 1 Hz for 70 s of simulated time, read by two source subtasks (each a contiguous half of the records, like
 * a Kafka partition read ahead of the other). The silences happen in the first half: the second half's subtask is
 * far ahead in event time, so the first half's end is the watermark's last step before the end of input (when no
 * silence is raised).
 */
class TelemetrySilenceTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    private static final long START = 1_767_225_600_000L;
    private static final List<Chip> CHIPS = Topology.build(ClusterShape.DEFAULT, 80).chips();

    private static List<Anomaly> run(BiPredicate<Chip, Integer> reports) throws Exception {
        ChipSampleCodec codec = new ChipSampleCodec();
        List<KeyedValue> records = new ArrayList<>();
        for (int s = 0; s < 70; s++) {
            for (Chip c : CHIPS) {
                if (reports.test(c, s)) {
                    records.add(new KeyedValue(c.id(), codec.encode(new ChipSample(START + s * 1000L, c.id(),
                            c.node(), c.rack(), c.pod(), null, 5, 40 + (s % 3) * 0.1, 90, List.of()))));
                }
            }
        }
        CollectingSink<Anomaly> anomalies = new CollectingSink<>();
        DetectionJobConfig config = DetectionJobConfig.builder().bootstrapServers("unused:9092").parallelism(2)
                .anyTime().checkpointInterval(Duration.ofSeconds(1)).build();
        JobRuns.built(config, (env, c) -> DetectionJob.build(env, c, RawRecords.source(records, 800), anomalies,
                        null))
                .execute("telemetry-silence-test");
        return anomalies.results();
    }

    private static List<String> opened(List<Anomaly> anomalies, AnomalyType type) {
        return anomalies.stream().filter(a -> a.state() == AnomalyState.OPEN && a.type() == type)
                .map(Anomaly::entity).toList();
    }

    @Test
    void theWholeFleetStoppingFor10SecondsIsOneTelemetryAnomalyAndNoNodeOrChipOne() throws Exception {
        List<Anomaly> anomalies = run((chip, s) -> s < 20 || s >= 30);

        assertThat(opened(anomalies, AnomalyType.NODE_DOWN)).isEmpty();
        assertThat(opened(anomalies, AnomalyType.CHIP_DOWN)).isEmpty();
        List<Anomaly> telemetry = anomalies.stream().filter(a -> a.type() == AnomalyType.TELEMETRY_SILENT).toList();
        assertThat(telemetry).as("the sink is parallel: no order across its subtasks").extracting(Anomaly::state)
                .containsExactlyInAnyOrder(AnomalyState.OPEN, AnomalyState.CLOSED);
        Anomaly closed = telemetry.stream().filter(a -> !a.isOpen()).findFirst().orElseThrow();
        assertThat(closed.scope()).isEqualTo(Scope.SOURCE);
        assertThat(closed.entity()).isEqualTo("chip-samples");
        assertThat(closed.startMillis()).as("the first missing sample").isEqualTo(START + 20_000);
        assertThat(closed.endMillis()).as("the stream resumed").isEqualTo(START + 30_000);
        assertThat(closed.value()).as("chips silent at once").isEqualTo(80.0);
        assertThat(closed.detail()).contains("80 of 80 chips fell silent at once");
    }

    @Test
    void aNodeThatStopsWhileTheFleetReportsIsStillANodeDown() throws Exception {
        String down = CHIPS.get(24).node();
        List<Anomaly> anomalies = run((chip, s) -> !(chip.node().equals(down) && s >= 20 && s < 30));

        assertThat(opened(anomalies, AnomalyType.NODE_DOWN)).containsExactly(down);
        assertThat(opened(anomalies, AnomalyType.CHIP_DOWN)).isEmpty();
        assertThat(opened(anomalies, AnomalyType.TELEMETRY_SILENT)).isEmpty();
    }

    @Test
    void aNodeThatDoesNotComeBackAfterTheFleetResumesIsPagedThen() throws Exception {
        String stays = CHIPS.get(56).node();
        List<Anomaly> anomalies = run((chip, s) -> s < 10 || (s >= 20 && !chip.node().equals(stays)));

        List<Anomaly> nodeDowns = anomalies.stream().filter(a -> a.type() == AnomalyType.NODE_DOWN).toList();
        assertThat(nodeDowns).extracting(Anomaly::entity, Anomaly::state)
                .containsExactly(tuple(stays, AnomalyState.OPEN));
        assertThat(nodeDowns.get(0).startMillis()).as("its own silence, from the first missing sample")
                .isEqualTo(START + 10_000);
        assertThat(nodeDowns.get(0).eventMillis()).as("its silence limit (3 samples, 3 s) after the fleet resumed")
                .isEqualTo(START + 23_000);
        assertThat(opened(anomalies, AnomalyType.TELEMETRY_SILENT)).containsExactly("chip-samples");
        assertThat(opened(anomalies, AnomalyType.CHIP_DOWN)).isEmpty();
    }
}
