package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.NodeMembers;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate alone in Flink's operator harness: a fleet of 10 nodes of 8 chips (threshold: 24 chips, the default
 * {@code massMinChips} over 10 % of 80), silence events fed as the silence detector emits them.
 */
class SilenceGateTest {
    private static final DetectionConfig.Silence SILENCE = DetectionConfig.defaults().silence();
    private KeyedTwoInputStreamOperatorTestHarness<String, Anomaly, NodeMembers, Anomaly> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new SilenceGate(SILENCE, "chip-samples"),
                a -> SilenceGate.FLEET, m -> SilenceGate.FLEET, Types.STRING);
        for (int n = 0; n < 10; n++) {
            harness.processElement2(new NodeMembers("p00-r00-n0" + n, 8), 0);
        }
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Anomaly chipDown(int node, int chip, long start, long at) {
        String id = "p00-r00-n0" + node + "-c0" + chip;
        return Anomaly.builder().type(AnomalyType.CHIP_DOWN).scope(Scope.CHIP).entity(id).tag("chip", id)
                .startMillis(start).eventMillis(at).value(2).threshold(2).fact(Fact.SILENCE_LIMIT_S, 2.0).build();
    }

    private List<Anomaly> output() {
        List<Anomaly> out = new ArrayList<>(harness.extractOutputValues());
        harness.getOutput().clear();
        return out;
    }

    @Test
    void aPartitionsChipsSilentInOneWatermarkStepAreOneTelemetryAnomalyOpenedAndClosed() throws Exception {
        List<Anomaly> downs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            downs.add(chipDown(i % 10, i / 10, 8_000, 10_000 + (i % 3) * 100));
        }
        for (Anomaly a : downs) {
            harness.processElement1(a, a.eventMillis());
        }
        harness.processBothWatermarks(new Watermark(70_000));

        List<Anomaly> opened = output();
        assertThat(opened).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.TELEMETRY_SILENT);
            assertThat(a.entity()).isEqualTo("chip-samples");
            assertThat(a.startMillis()).isEqualTo(8_000);
            assertThat(a.value()).isEqualTo(30.0);
            assertThat(a.threshold()).isEqualTo(24.0);
        });

        for (Anomaly a : downs) {
            harness.processElement1(a.close(75_000), 75_000);
        }
        harness.processBothWatermarks(new Watermark(76_000));

        assertThat(output()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.TELEMETRY_SILENT);
            assertThat(a.state()).isEqualTo(AnomalyState.CLOSED);
            assertThat(a.endMillis()).isEqualTo(75_000);
        });
        harness.processBothWatermarks(new Watermark(90_000));
        assertThat(output()).as("nothing left to release").isEmpty();
    }

    @Test
    void aChipStillSilentWhenTheStreamResumesIsPagedOneSilenceLimitLaterWithItsOwnStart() throws Exception {
        List<Anomaly> downs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            downs.add(chipDown(i % 10, i / 10, 8_000, 10_000));
        }
        for (Anomaly a : downs) {
            harness.processElement1(a, a.eventMillis());
        }
        harness.processBothWatermarks(new Watermark(10_000));
        assertThat(output()).singleElement().extracting(Anomaly::type).isEqualTo(AnomalyType.TELEMETRY_SILENT);
        for (Anomaly a : downs.subList(1, 30)) {
            harness.processElement1(a.close(75_000), 75_000);
        }
        harness.processBothWatermarks(new Watermark(76_000));
        assertThat(output()).singleElement().extracting(Anomaly::state).isEqualTo(AnomalyState.CLOSED);

        harness.processBothWatermarks(new Watermark(77_000));
        assertThat(output()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(downs.get(0).id());
            assertThat(a.state()).isEqualTo(AnomalyState.OPEN);
            assertThat(a.startMillis()).isEqualTo(8_000);
            assertThat(a.eventMillis()).isEqualTo(77_000);
        });
    }

    @Test
    void aFleetThatShrankClosesTheOutageOnceTheChipsThatStayedAwayAreForgotten() throws Exception {
        List<Anomaly> downs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            downs.add(chipDown(i % 10, i / 10, 8_000, 10_000));
        }
        for (Anomaly a : downs) {
            harness.processElement1(a, a.eventMillis());
        }
        harness.processBothWatermarks(new Watermark(10_000));
        assertThat(output()).singleElement().extracting(Anomaly::type).isEqualTo(AnomalyType.TELEMETRY_SILENT);
        // The stream is back with 10 of the 60: 50 stay away, still over the threshold of 24.
        for (Anomaly a : downs.subList(0, 10)) {
            harness.processElement1(a.close(75_000), 75_000);
        }
        harness.processBothWatermarks(new Watermark(76_000));
        assertThat(output()).as("still open: too many silent").isEmpty();
        // A chip that really fails meanwhile is absorbed by the open outage ...
        Anomaly real = chipDown(0, 7, 100_000, 102_000);
        harness.processElement1(real, real.eventMillis());
        harness.processBothWatermarks(new Watermark(102_000));
        assertThat(output()).isEmpty();

        // ... until the 50 are forgotten (forgetAfterMs after the stream resumed): the outage closes when the
        // stream resumed, and the real failure is paged with its own start.
        long forgotten = 75_000 + SILENCE.forgetAfterMs();
        harness.processBothWatermarks(new Watermark(forgotten));
        assertThat(output()).satisfiesExactly(
                closed -> {
                    assertThat(closed.type()).isEqualTo(AnomalyType.TELEMETRY_SILENT);
                    assertThat(closed.state()).isEqualTo(AnomalyState.CLOSED);
                    assertThat(closed.endMillis()).isEqualTo(75_000);
                },
                paged -> {
                    assertThat(paged.id()).isEqualTo(real.id());
                    assertThat(paged.state()).isEqualTo(AnomalyState.OPEN);
                    assertThat(paged.startMillis()).isEqualTo(100_000);
                });

        // A later silence is judged on its own again.
        Anomaly later = chipDown(1, 7, forgotten + 1_000, forgotten + 3_000);
        harness.processElement1(later, later.eventMillis());
        harness.processBothWatermarks(new Watermark(forgotten + 3_000));
        assertThat(output()).containsExactly(later);
    }

    @Test
    void fewerSilentChipsThanTheThresholdPassThrough() throws Exception {
        List<Anomaly> downs = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            downs.add(chipDown(i % 10, i / 10, 8_000, 10_000));
        }
        for (Anomaly a : downs) {
            harness.processElement1(a, a.eventMillis());
        }
        harness.processBothWatermarks(new Watermark(10_000));
        assertThat(output()).containsExactlyInAnyOrderElementsOf(downs);

        harness.processElement1(downs.get(0).close(12_000), 12_000);
        harness.processBothWatermarks(new Watermark(12_000));
        assertThat(output()).containsExactly(downs.get(0).close(12_000));
    }

    @Test
    void withoutAKnownFleetNothingIsGated() throws Exception {
        for (int n = 0; n < 10; n++) {
            harness.processElement2(new NodeMembers("p00-r00-n0" + n, 0), 1);
        }
        for (int i = 0; i < 40; i++) {
            harness.processElement1(chipDown(i % 10, i / 10, 8_000, 10_000), 10_000);
        }
        harness.processBothWatermarks(new Watermark(10_000));
        assertThat(output()).hasSize(40).allMatch(a -> a.type() == AnomalyType.CHIP_DOWN);
    }

    private static Anomaly nodeDown(int node, long start, long at) {
        String id = "p00-r00-n0" + node;
        List<String> chips = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            chips.add(id + "-c0" + c);
        }
        return Anomaly.builder().type(AnomalyType.NODE_DOWN).scope(Scope.NODE).entity(id).tag("node", id)
                .startMillis(start).eventMillis(at).value(3).threshold(3).fact(Fact.SILENCE_LIMIT_S, 3.0)
                .affected(chips).build();
    }

    /** A chip that fell silent a moment before its node is in its chip_down and in the node_down: one chip. */
    @Test
    void aChipDownAndItsNodesDownInOneBatchCountTheChipOnce() throws Exception {
        // Two nodes and all their chips: 16 chips in 32 events, under the threshold of 24.
        List<Anomaly> downs = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            downs.add(nodeDown(n, 8_000, 10_000));
            for (int c = 0; c < 8; c++) {
                downs.add(chipDown(n, c, 8_000, 10_000));
            }
        }
        for (Anomaly a : downs) {
            harness.processElement1(a, a.eventMillis());
        }
        harness.processBothWatermarks(new Watermark(10_000));
        assertThat(output()).as("two nodes down, not the telemetry path").containsExactlyInAnyOrderElementsOf(downs);

        // Three more nodes (24 chips) and two of their chips: the telemetry path, counted as 24 chips, not 26.
        for (int n = 2; n < 5; n++) {
            harness.processElement1(nodeDown(n, 20_000, 22_000), 22_000);
        }
        harness.processElement1(chipDown(2, 0, 20_000, 22_000), 22_000);
        harness.processElement1(chipDown(3, 5, 20_000, 22_000), 22_000);
        harness.processBothWatermarks(new Watermark(22_000));
        assertThat(output()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.TELEMETRY_SILENT);
            assertThat(a.value()).isEqualTo(24.0);
            assertThat(a.detail()).startsWith("24 of 80 chips fell silent at once");
        });
        assertThat(SilenceGate.silentChips(List.of(chipDown(0, 1, 0, 1), nodeDown(0, 0, 1), nodeDown(1, 0, 1))))
                .isEqualTo(16);
    }
}
