package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.LinkEndEvent;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LinkRollupTest {
    private static final String LINK = "p00-r01-n02-c01~c05";
    private static final String A = "p00-r01-n02-c01";
    private static final String B = "p00-r01-n02-c05";
    private KeyedOneInputStreamOperatorTestHarness<String, LinkEndEvent, Anomaly> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new LinkRollup(), LinkEndEvent::link,
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static LinkEndEvent event(long ts, String chip, String peer, boolean open) {
        return new LinkEndEvent(ts, LINK, chip, peer, "intra", "p00-r01-n02", "p00-r01", "p00", "LINK_DEGRADED",
                open, 12.5, 1.9, "latency 12.5x");
    }

    @Test
    void bothEndsReportingMakeOneLinkAnomalyThatClosesWithTheLastEnd() throws Exception {
        harness.processElement(event(10_000, B, A, true), 10_000);
        harness.processElement(event(10_000, A, B, true), 10_000);
        harness.processElement(event(60_000, A, B, false), 60_000);
        harness.processWatermark(60_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.LINK_DEGRADED);
            assertThat(a.scope()).isEqualTo(Scope.LINK);
            assertThat(a.entity()).isEqualTo(LINK);
            assertThat(a.tags()).containsEntry("link", LINK).containsEntry("chip", A).containsEntry("peer", B);
            assertThat(a.affected()).containsExactly(A, B);
            assertThat(a.startMillis()).isEqualTo(10_000);
        });
        harness.processElement(event(61_000, B, A, false), 61_000);
        harness.processWatermark(61_000);
        assertThat(harness.extractOutputValues()).hasSize(2);
        Anomaly closed = harness.extractOutputValues().get(1);
        assertThat(closed.state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(closed.endMillis()).isEqualTo(61_000);
    }

    @Test
    void aCloseWithoutAnOpenIsIgnored() throws Exception {
        harness.processElement(event(10_000, A, B, false), 10_000);
        harness.processWatermark(10_000);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void endsArrivingOutOfTimeOrderStillMakeOneAnomaly() throws Exception {
        // End B's whole episode arrives before end A's open (A's partition was read later).
        harness.processElement(event(10_000, B, A, true), 10_000);
        harness.processElement(event(60_000, B, A, false), 60_000);
        harness.processElement(event(10_000, A, B, true), 10_000);
        harness.processElement(event(60_000, A, B, false), 60_000);
        harness.processWatermark(70_000);
        assertThat(harness.extractOutputValues()).extracting(Anomaly::state)
                .containsExactly(AnomalyState.OPEN, AnomalyState.CLOSED);
    }

    @Test
    void theFirstEndsFactsAndTheLatencyTheyMakeAreTheAnomalys() throws Exception {
        harness.processElement(new LinkEndEvent(10_000, LINK, A, B, "intra", "p00-r01-n02", "p00-r01", "p00",
                "LINK_DEGRADED", true, 12.5, 1.9, "latency 12.5x",
                Map.of(Fact.RATIO_LIMIT.key(), 4.0, Fact.SAMPLES.key(), 3.0)), 10_000);
        harness.processWatermark(10_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.fact(Fact.RATIO)).hasValue(12.5);
            assertThat(a.fact(Fact.BASELINE_US)).hasValue(1.9);
            assertThat(a.fact(Fact.LATENCY_US).orElseThrow()).isCloseTo(23.75, within(1e-9));
            assertThat(a.fact(Fact.RATIO_LIMIT)).hasValue(4.0);
            assertThat(a.fact(Fact.SAMPLES)).hasValue(3.0);
        });
    }

    /** An end's link_flap open on missing readings only (ratio 0), or its close. */
    private static LinkEndEvent missing(long ts, String kind, String chip, String peer, boolean open) {
        return new LinkEndEvent(ts, LINK, chip, peer, kind, "p00-r01-n02", "p00-r01", "p00", "LINK_FLAP", open, 0,
                1.9, open ? "seen from " + chip + ": missing from 3 samples in a row while the chip reports" : "no burst",
                open ? Map.of(Fact.MISSING_SAMPLES.key(), 3.0, Fact.BURSTS.key(), 1.0) : Map.of());
    }

    @Test
    void aOneEndedMissingOpenOfAnIntraLinkIsHeldThenDroppedWhenItsEndCloses() throws Exception {
        // A dead chip (B) reports nothing; its node peer A sees their link missing.
        harness.processElement(missing(10_000, "intra", A, B, true), 10_000);
        harness.processWatermark(10_000);
        assertThat(harness.extractOutputValues()).as("held, not published").isEmpty();
        harness.processElement(missing(90_000, "intra", A, B, false), 90_000);
        harness.processWatermark(90_000);
        assertThat(harness.extractOutputValues()).isEmpty();
        // Dropped: a later close of the other end opens nothing, and a later real flap opens anew.
        harness.processElement(missing(95_000, "intra", B, A, false), 95_000);
        harness.processElement(missing(100_000, "intra", B, A, true), 100_000);
        harness.processWatermark(100_000);
        assertThat(harness.extractOutputValues()).as("B's open is held in turn").isEmpty();
        harness.processElement(missing(100_000, "intra", A, B, true), 100_000);
        harness.processWatermark(100_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.startMillis()).isEqualTo(100_000);
            assertThat(a.tags()).containsEntry("chip", A).containsEntry("peer", B);
        });
    }

    @Test
    void anIntraLinkMissingAtBothEndsOpensOnceFromTheFirstEnd() throws Exception {
        harness.processElement(missing(10_000, "intra", B, A, true), 10_000);
        harness.processWatermark(10_000);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processElement(missing(11_000, "intra", A, B, true), 11_000);
        harness.processWatermark(11_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.LINK_FLAP);
            assertThat(a.state()).isEqualTo(AnomalyState.OPEN);
            assertThat(a.startMillis()).as("the first end's start").isEqualTo(10_000);
            assertThat(a.detail()).contains("seen from " + B);
            assertThat(a.fact(Fact.MISSING_SAMPLES)).hasValue(3.0);
            assertThat(a.affected()).containsExactly(A, B);
        });
        // Both ends hold it open: it closes with the last.
        harness.processElement(missing(60_000, "intra", B, A, false), 60_000);
        harness.processWatermark(60_000);
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.processElement(missing(61_000, "intra", A, B, false), 61_000);
        harness.processWatermark(61_000);
        assertThat(harness.extractOutputValues()).extracting(Anomaly::state)
                .containsExactly(AnomalyState.OPEN, AnomalyState.CLOSED);
        assertThat(harness.extractOutputValues().get(1).endMillis()).isEqualTo(61_000);
    }

    @Test
    void aFabricLinkMissingFromItsOnlyEndOpensAtOnce() throws Exception {
        harness.processElement(missing(10_000, "fabric", A, "p00-r01-sw", true), 10_000);
        harness.processWatermark(10_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.LINK_FLAP);
            assertThat(a.startMillis()).isEqualTo(10_000);
            assertThat(a.affected()).containsExactly(A, "p00-r01-sw");
        });
    }

    @Test
    void anIntraOpenWithARatioFromOneEndOpensAtOnce() throws Exception {
        harness.processElement(new LinkEndEvent(10_000, LINK, A, B, "intra", "p00-r01-n02", "p00-r01", "p00",
                "LINK_FLAP", true, 80.0, 1.9, "latency burst at 80.0x its baseline"), 10_000);
        harness.processWatermark(10_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.LINK_FLAP);
            assertThat(a.startMillis()).isEqualTo(10_000);
            assertThat(a.fact(Fact.RATIO)).hasValue(80.0);
        });
    }

    /**
     * Keyed state written before anomalies and link-end events carried facts: the link's anomaly open (end c01,
     * at 10 s) and the other end's open event still pending (11 s, after the watermark) at the checkpoint. Written
     * by a one-off harness test on the code of f07fd50.
     */
    @Test
    void aCheckpointFromBeforeFactsRestoresTheOpenLinkAndItsPendingEnd() throws Exception {
        harness.close();
        URL resource = Objects.requireNonNull(LinkRollupTest.class.getResource("link-rollup-before-facts.snapshot"));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new LinkRollup()),
                LinkEndEvent::link, Types.STRING);
        harness.initializeState(OperatorSnapshotUtil.readStateHandle(resource.getPath()));
        harness.open();
        harness.processWatermark(11_000);
        assertThat(harness.extractOutputValues()).as("the pending end joins the open link").isEmpty();
        harness.processElement(event(60_000, A, B, false), 60_000);
        harness.processWatermark(60_000);
        assertThat(harness.extractOutputValues()).as("one end still holds it open").isEmpty();
        harness.processElement(event(61_000, B, A, false), 61_000);
        harness.processWatermark(61_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AnomalyState.CLOSED);
            assertThat(a.id()).isEqualTo(Anomaly.idFor(AnomalyType.LINK_DEGRADED, LINK, 10_000));
            assertThat(a.endMillis()).isEqualTo(61_000);
            assertThat(a.facts()).isEmpty();
        });
    }
}
