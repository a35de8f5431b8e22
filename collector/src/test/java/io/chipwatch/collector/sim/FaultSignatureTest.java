package io.chipwatch.collector.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.fault.FaultType;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Each fault type's signature in the data (CONTRACTS.md §2). Every test runs the same cluster twice, with and without
 * the fault: per-sample noise is keyed by (seed, time, chip), so anything the fault does not touch is identical
 * in both runs, and the difference is exactly the fault's doing. The data carries every imperfection of real
 * telemetry but the transport's (TransportTest has those: a late or dropped sample would hide a tick here).
 */
class FaultSignatureTest {
    private static final SimulationConfig CONFIG = SimulationConfig.builder().chips(320).seed(5).busyFraction(1.0)
            .imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE)).build();
    private static final long T0 = CONFIG.startMillis();
    private static final long SEC = 1000;

    /** A run: per tick, chip id to sample; and the ground truth it emitted. */
    private record Run(List<Map<String, ChipSample>> ticks, List<FaultEvent> truth, List<FaultStatus> faults,
                       ClusterSimulator sim) {
        ChipSample at(int tick, String chip) {
            return ticks.get(tick).get(chip);
        }
    }

    private static Run run(int ticks, FaultRequest... faults) {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        List<FaultEvent> truth = new ArrayList<>();
        sim.faultListener(truth::add);
        for (FaultRequest f : faults) {
            sim.schedule(f);
        }
        List<Map<String, ChipSample>> out = new ArrayList<>();
        for (int t = 0; t < ticks; t++) {
            Map<String, ChipSample> byChip = new HashMap<>();
            sim.tick(s -> byChip.put(s.chip(), s));
            out.add(byChip);
        }
        return new Run(out, truth, sim.faults(), sim);
    }

    private static final Map<Integer, Run> BASELINES = new HashMap<>();

    private static synchronized Run baseline(int ticks) {
        return BASELINES.computeIfAbsent(ticks, FaultSignatureTest::run);
    }

    /** A chip of the first multi-node training job; deterministic for the config. */
    private static Chip trainingChip(int nth) {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        Job job = sim.jobs().stream().filter(j -> j.kind() == JobKind.TRAINING && j.nodeCount() >= 2
                && j.endMillis() > T0 + 600 * SEC).findFirst().orElseThrow();
        return sim.topology().chips().get(job.firstNode() * 8 + nth);
    }

    /**
     * Runs {@code ticks} seconds with one fault from second {@code onsetSec} for {@code durationSec} (0: until
     * cleared) and checks its ground truth.
     */
    private static Run runFault(int ticks, FaultType type, String target, int onsetSec, int durationSec) {
        Run run = run(ticks, new FaultRequest(type, target, T0 + onsetSec * SEC, durationSec * SEC));
        Long end = durationSec == 0 ? null : T0 + (onsetSec + durationSec) * SEC;
        assertTruth(run, type, target, T0 + onsetSec * SEC, end);
        return run;
    }

    private static void assertTruth(Run run, FaultType type, String target, long onset, Long end) {
        assertThat(run.truth()).hasSizeGreaterThanOrEqualTo(1);
        FaultEvent on = run.truth().get(0);
        assertThat(on.phase()).isEqualTo(FaultEvent.Phase.ONSET);
        assertThat(on.type()).isEqualTo(type);
        assertThat(on.target()).isEqualTo(target);
        assertThat(on.targetScope()).isEqualTo(type.scope());
        assertThat(on.onsetMillis()).isEqualTo(onset);
        assertThat(on.endMillis()).isEqualTo(end);
        if (end != null && run.truth().size() > 1) {
            FaultEvent off = run.truth().get(1);
            assertThat(off.phase()).isEqualTo(FaultEvent.Phase.END);
            assertThat(off.id()).isEqualTo(on.id());
            assertThat(off.endMillis()).isEqualTo(end);
        }
    }

    @Test
    void overheatClimbsHalfToTwoDegreesASecondPast95AndRecoversAfterTheEnd() {
        String chip = trainingChip(0).id();
        Run base = baseline(200);
        Run run = runFault(200, FaultType.OVERHEAT, chip, 10, 100);
        assertThat(run.at(9, chip)).isEqualTo(base.at(9, chip));
        // Excess over the healthy chip grows linearly at the drawn rate until the ceiling.
        double excess5 = run.at(15, chip).tempC() - base.at(15, chip).tempC();
        assertThat(excess5 / 5).isBetween(0.5 - 0.1, 2.0 + 0.1);
        double max = 0;
        int firstOver95 = -1;
        for (int t = 10; t < 110; t++) {
            double temp = run.at(t, chip).tempC();
            max = Math.max(max, temp);
            if (temp > 95 && firstOver95 < 0) {
                firstOver95 = t;
            }
        }
        assertThat(max).isBetween(96.0, 111.0);
        assertThat(firstOver95 - 10).as("seconds to pass 95 C").isBetween(5, 80);
        // Other chips are untouched; after the end the excess decays (tau ~30 s).
        Chip peer = trainingChip(1);
        assertThat(run.at(50, peer.id())).isEqualTo(base.at(50, peer.id()));
        assertThat(run.at(199, chip).tempC() - base.at(199, chip).tempC()).isBetween(0.0, 8.0);
    }

    @Test
    void rackCoolingHeatsEveryChipOfTheRackTenToTwentyDegreesAndNoOther() {
        String rack = trainingChip(0).rack();
        Run base = baseline(200);
        Run run = runFault(200, FaultType.RACK_COOLING, rack, 5, 0);
        assertThat(run.truth()).hasSize(1);
        int inRack = 0;
        for (ChipSample s : run.ticks().get(199).values()) {
            double delta = s.tempC() - base.at(199, s.chip()).tempC();
            if (s.rack().equals(rack)) {
                inRack++;
                assertThat(delta).as(s.chip()).isBetween(10.0, 20.0);
            } else {
                assertThat(delta).as(s.chip()).isZero();
            }
        }
        assertThat(inRack).isEqualTo(80);
    }

    @Test
    void powerThrottleCapsPowerNearSixtyPercentAndUtilisationFallsWhileTheJobIsBusy() {
        Chip chip = trainingChip(2);
        Run base = baseline(60);
        Run run = runFault(60, FaultType.POWER_THROTTLE, chip.id(), 10, 40);
        int busy = 0;
        for (int t = 10; t < 50; t++) {
            ChipSample b = base.at(t, chip.id());
            ChipSample f = run.at(t, chip.id());
            assertThat(f.powerW()).isLessThanOrEqualTo(0.63 * 402 + 0.1);
            if (b.powerW() > 0.63 * 402 + 20) {
                // The chip would draw well over the cap (compute-bound, or memory-bound near 100 %): it holds at
                // the cap, 57-63 % of its maximum, and its utilisation falls to what that power allows.
                busy++;
                assertThat(f.powerW()).as("tick %d", t).isBetween(0.57 * 390 - 6, 0.63 * 402 + 0.1);
                assertThat(f.util()).as("tick %d", t).isLessThan(b.util() - 10);
            }
        }
        assertThat(busy).as("ticks over the cap seen").isGreaterThan(10);
        // After the end: utilisation and power as before at once; the die, cooler, warms up with its lag.
        assertThat(run.at(55, chip.id()).util()).isEqualTo(base.at(55, chip.id()).util());
        assertThat(run.at(55, chip.id()).powerW()).isEqualTo(base.at(55, chip.id()).powerW());
        assertThat(run.at(55, chip.id()).tempC()).isLessThan(base.at(55, chip.id()).tempC());
    }

    /** A link and its two end chips. */
    private record LinkEnds(String link, String a, String b) {
    }

    /** The first intra-node link of the training chip {@code index}, seen from that chip ({@code a}). */
    private static LinkEnds intraLinkOf(int index) {
        Chip a = trainingChip(index);
        String link = a.links().stream().filter(l -> l.kind() == LinkKind.INTRA).findFirst().orElseThrow().id();
        return new LinkEnds(link, a.id(), a.links().get(0).peerOf(a.id()));
    }

    private static LinkLatency link(ChipSample s, String linkId) {
        return s.links().stream().filter(l -> l.link().equals(linkId)).findFirst().orElse(null);
    }

    @Test
    void linkDegradedMultipliesLatencyFiveToFiftyTimesAtBothEnds() {
        LinkEnds ends = intraLinkOf(0);
        Run base = baseline(40);
        Run run = runFault(40, FaultType.LINK_DEGRADED, ends.link(), 10, 20);
        double factor = -1;
        for (int t = 10; t < 30; t++) {
            for (String end : List.of(ends.a(), ends.b())) {
                double ratio = link(run.at(t, end), ends.link()).latencyUs()
                        / link(base.at(t, end), ends.link()).latencyUs();
                assertThat(ratio).isBetween(4.99, 50.01);
                if (factor < 0) {
                    factor = ratio;
                }
                // Persistent: the same factor every tick, at both ends.
                assertThat(ratio).isCloseTo(factor, within(0.01 * factor));
            }
        }
        assertThat(link(run.at(30, ends.a()), ends.link())).isEqualTo(link(base.at(30, ends.a()), ends.link()));
    }

    @Test
    void linkFlapGivesBurstsOfMissingOrHugeLatencyAtBothEnds() {
        LinkEnds ends = intraLinkOf(3);
        Run base = baseline(130);
        Run run = run(130, new FaultRequest(FaultType.LINK_FLAP, ends.link(), T0 + 10 * SEC, 120 * SEC));
        int missing = 0;
        int huge = 0;
        int normal = 0;
        for (int t = 10; t < 130; t++) {
            LinkLatency la = link(run.at(t, ends.a()), ends.link());
            LinkLatency lb = link(run.at(t, ends.b()), ends.link());
            assertThat(la == null).as("both ends agree at tick %d", t).isEqualTo(lb == null);
            if (la == null) {
                missing++;
                assertThat(run.at(t, ends.a()).links()).hasSize(7);
                continue;
            }
            double ratio = la.latencyUs() / link(base.at(t, ends.a()), ends.link()).latencyUs();
            if (ratio >= 49.99) {
                huge++;
            } else {
                assertThat(ratio).isCloseTo(1.0, within(0.001));
                normal++;
            }
        }
        assertThat(missing + huge).as("flapping ticks").isBetween(10, 90);
        assertThat(normal).as("quiet ticks between bursts").isGreaterThan(30);
        assertThat(missing > 0 || huge > 0).isTrue();
    }

    @Test
    void aStragglerRunsTwentyToFortyPercentBelowItsJobsPeersInComputePhases() {
        Chip chip = trainingChip(4);
        Chip peer = trainingChip(5);
        Run base = baseline(60);
        Run run = run(60, new FaultRequest(FaultType.STRAGGLER, "random-training-chip", T0, 60 * SEC));
        String target = run.truth().get(0).target();
        assertThat(run.truth().get(0).targetScope()).isEqualTo(FaultScope.CHIP);
        // The selector picked some training chip; check it against the peers of its node.
        ChipSample first = run.at(0, target);
        assertThat(first.job()).startsWith("train-");
        int compute = 0;
        for (int t = 0; t < 60; t++) {
            ChipSample f = run.at(t, target);
            double peers = run.ticks().get(t).values().stream()
                    .filter(s -> s.node().equals(f.node()) && !s.chip().equals(target))
                    .mapToDouble(ChipSample::util).average().orElseThrow();
            if (peers > 80) {
                // Mostly computing: the drop applies to the share of the window spent computing (a window that
                // ends in the first 100 ms of a collective still computed for 90 %).
                assertThat(1 - f.util() / peers).as("tick %d", t).isBetween(0.08, 0.43);
                if (1 - f.util() / peers >= 0.17) {
                    compute++;
                }
            }
            assertThat(base.at(t, target).job()).isEqualTo(f.job());
        }
        assertThat(compute).isGreaterThan(20);
        assertThat(chip.id()).isNotEmpty();
        assertThat(peer.id()).isNotEmpty();
    }

    /** The outage of the down-chip and down-node tests: seconds 10 to 20 of a 30-second run. */
    private static boolean outage(int t) {
        return t >= 10 && t < 20;
    }

    @Test
    void aDownChipSendsNothingUntilItComesBack() {
        String chip = trainingChip(0).id();
        Run run = runFault(30, FaultType.CHIP_DOWN, chip, 10, 10);
        for (int t = 0; t < 30; t++) {
            assertThat(run.ticks().get(t).containsKey(chip)).as("tick %d", t).isEqualTo(!outage(t));
            assertThat(run.ticks().get(t)).hasSize(outage(t) ? 319 : 320);
        }
        assertThat(run.sim().latestReporting(trainingChip(0).index())).isTrue();
    }

    @Test
    void aDownChipsNodePeersLeaveTheirLinksToItOutWhileItIsDown() {
        Chip down = trainingChip(3);
        Run run = runFault(30, FaultType.CHIP_DOWN, down.id(), 10, 10);
        Run base = baseline(30);
        List<Chip> chips = run.sim().topology().chips();
        int peersChecked = 0;
        for (int t = 0; t < 30; t++) {
            for (Chip chip : chips) {
                if (chip.index() == down.index()) {
                    continue;
                }
                ChipSample sample = run.at(t, chip.id());
                List<String> expected = new ArrayList<>();
                for (var link : chip.links()) {
                    boolean toDown = link.kind() == LinkKind.INTRA && link.peerOf(chip.id()).equals(down.id());
                    if (!(toDown && outage(t))) {
                        expected.add(link.id());
                    }
                }
                if (chip.node().equals(down.node())) {
                    assertThat(expected).as("chip %s at tick %d", chip.id(), t)
                            .hasSize(outage(t) ? chip.links().size() - 1 : chip.links().size());
                    peersChecked++;
                }
                assertThat(sample.links()).as("chip %s at tick %d", chip.id(), t).extracting(LinkLatency::link)
                        .containsExactlyElementsOf(expected);
                // The links it still reports read exactly as without the fault.
                assertThat(sample.links()).as("chip %s at tick %d", chip.id(), t)
                        .isEqualTo(base.at(t, chip.id()).links().stream()
                                .filter(l -> expected.contains(l.link())).toList());
            }
        }
        assertThat(peersChecked).as("the down chip's seven node peers, every tick").isEqualTo(7 * 30);
        Chip peer = chips.get(down.index() == chips.get(0).index() ? 1 : down.index() - 1);
        assertThat(peer.node()).isEqualTo(down.node());
        int slot = run.sim().linkStart(peer.index()) + indexOfLinkTo(peer, down);
        assertThat(run.sim().latestLatency(slot)).as("the link is back after the outage").isPositive();
        Run during = runFault(15, FaultType.CHIP_DOWN, down.id(), 10, 10);
        assertThat(during.sim().latestLatency(slot)).as("the link is dark during the outage").isNaN();
        assertThat(during.sim().latestLatency(slot + (indexOfLinkTo(peer, down) == 0 ? 1 : -1)))
                .as("the peer's other links are not").isPositive();
    }

    private static int indexOfLinkTo(Chip chip, Chip peer) {
        for (int i = 0; i < chip.links().size(); i++) {
            if (chip.links().get(i).peerOf(chip.id()).equals(peer.id())) {
                return i;
            }
        }
        throw new AssertionError(chip.id() + " has no link to " + peer.id());
    }

    @Test
    void aDownNodeSilencesAllItsChipsAndOnlyThem() {
        String node = trainingChip(0).node();
        Run run = runFault(30, FaultType.NODE_DOWN, node, 10, 10);
        for (int t = 0; t < 30; t++) {
            long fromNode = run.ticks().get(t).values().stream().filter(s -> s.node().equals(node)).count();
            assertThat(fromNode).isEqualTo(outage(t) ? 0 : 8);
            assertThat(run.ticks().get(t)).hasSize(outage(t) ? 312 : 320);
        }
    }

    @Test
    void aStuckSensorReadsOneConstantWhilePowerMoves() {
        String chip = trainingChip(6).id();
        Run run = runFault(60, FaultType.STUCK_SENSOR, chip, 10, 40);
        double frozen = run.at(10, chip).tempC();
        double minPower = Double.MAX_VALUE;
        double maxPower = 0;
        for (int t = 10; t < 50; t++) {
            assertThat(run.at(t, chip).tempC()).isEqualTo(frozen);
            minPower = Math.min(minPower, run.at(t, chip).powerW());
            maxPower = Math.max(maxPower, run.at(t, chip).powerW());
        }
        assertThat(maxPower - minPower).as("power swings with the training phases").isGreaterThan(50);
        // Readings are whole degrees, so a live sensor repeats too; but over the 40 s it would have moved.
        Run base = baseline(60);
        assertThat(IntStream.range(10, 50).mapToDouble(t -> base.at(t, chip).tempC()).distinct()
                .count()).as("distinct readings of the live sensor").isGreaterThan(1);
    }

    @Test
    void aSensorGlitchIsOneAbsurdSampleThenNormal() {
        String chip = trainingChip(7).id();
        Run base = baseline(20);
        Run run = run(20, new FaultRequest(FaultType.SENSOR_GLITCH, chip, T0 + 10 * SEC, 60 * SEC));
        assertTruth(run, FaultType.SENSOR_GLITCH, chip, T0 + 10 * SEC, T0 + 11 * SEC);
        assertThat(run.truth()).hasSize(2);
        for (int t = 0; t < 20; t++) {
            if (t == 10) {
                assertThat(run.at(t, chip).tempC()).isBetween(150.0, 180.0);
                assertThat(run.at(t, chip).powerW()).isEqualTo(base.at(t, chip).powerW());
            } else {
                assertThat(run.at(t, chip)).isEqualTo(base.at(t, chip));
            }
        }
    }

    @Test
    void selectorsAvoidMachinesOtherFaultsTouchAndResolveTheSameEveryRun() {
        FaultRequest[] faults = new FaultRequest[8];
        for (int i = 0; i < faults.length; i++) {
            faults[i] = new FaultRequest(FaultType.CHIP_DOWN, "random-busy-chip", T0 + i * SEC, 0);
        }
        Run a = run(10, faults);
        Run b = run(10, faults);
        assertThat(a.truth()).isEqualTo(b.truth());
        assertThat(a.truth().stream().map(e -> e.target().substring(0, e.target().lastIndexOf('-'))).distinct())
                .as("eight faults on eight different nodes").hasSize(8);
    }

    @Test
    void faultsOutsideTheClusterOrOfTheWrongScopeAreRefused() {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        Assertions.assertThatThrownBy(() -> sim.schedule(
                        new FaultRequest(FaultType.OVERHEAT, "p09-r00-n00-c00", T0, 0)))
                .hasMessageContaining("no chip 'p09-r00-n00-c00'");
        Assertions.assertThatThrownBy(() -> sim.schedule(
                        new FaultRequest(FaultType.NODE_DOWN, "random-chip", T0, 0)))
                .hasMessageContaining("picks a chip but node_down targets a node");
        Assertions.assertThatThrownBy(() -> sim.schedule(
                        new FaultRequest(FaultType.LINK_FLAP, "random-purple-link", T0, 0)))
                .hasMessageContaining("not a selector");
    }
}
