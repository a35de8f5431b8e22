package io.chipwatch.collector.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The physics and workload of the idealised simulator ({@link Imperfections#CLEAN}: what every imperfection of
 * real telemetry is switched off to); {@link ImperfectionsTest} has the data as it is by default.
 */
class ClusterSimulatorTest {
    private static final SimulationConfig CONFIG = SimulationConfig.builder().chips(2000).seed(42)
            .imperfections(Imperfections.CLEAN).build();
    private static final int TICKS = 20;
    private static List<List<ChipSample>> run;

    @BeforeAll
    static void simulateOnce() {
        run = simulate(CONFIG, TICKS);
    }

    private static List<List<ChipSample>> simulate(SimulationConfig config, int ticks) {
        ClusterSimulator sim = new ClusterSimulator(config);
        List<List<ChipSample>> ticksOut = new ArrayList<>();
        for (int t = 0; t < ticks; t++) {
            ticksOut.add(sim.tick());
        }
        return ticksOut;
    }

    private static List<ChipSample> all() {
        return run.stream().flatMap(List::stream).toList();
    }

    @Test
    void sameSeedGivesIdenticalSamples() {
        assertThat(simulate(CONFIG, TICKS)).isEqualTo(run);
    }

    @Test
    void differentSeedGivesDifferentSamples() {
        List<List<ChipSample>> other = simulate(CONFIG.toBuilder().seed(43).build(), 3);
        for (int t = 0; t < 3; t++) {
            assertThat(other.get(t)).isNotEqualTo(run.get(t));
        }
    }

    @Test
    void consumerVariantEmitsTheSameSamplesAsTheListVariant() {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        List<ChipSample> streamed = new ArrayList<>();
        sim.tick(streamed::add);
        sim.tick(streamed::add);
        assertThat(streamed).isEqualTo(List.of(run.get(0), run.get(1)).stream().flatMap(List::stream).toList());
    }

    @Test
    void aChipsReadingsDoNotDependOnTheRestOfTheCluster() {
        // Noise is keyed by (seed, timestamp, chip), so a chip doing the same job in a bigger cluster reads the
        // same: what lets shards of a cluster, or a collector that skipped ticks, agree with a full run.
        List<ChipSample> bigger = new ClusterSimulator(CONFIG.toBuilder().chips(2 * CONFIG.chips()).build()).tick();
        int compared = 0;
        for (int c = 0; c < CONFIG.chips(); c++) {
            ChipSample small = run.get(0).get(c);
            if (Objects.equals(small.job(), bigger.get(c).job())) {
                assertThat(bigger.get(c)).isEqualTo(small);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void onePerChipPerTickWithAdvancingTimestamps() {
        Topology topology = Topology.build(CONFIG.shape(), CONFIG.chips());
        for (int t = 0; t < TICKS; t++) {
            List<ChipSample> tick = run.get(t);
            assertThat(tick).hasSize(CONFIG.chips());
            long expectedTs = CONFIG.startMillis() + t * CONFIG.sampleIntervalMillis();
            assertThat(tick).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(expectedTs));
            assertThat(tick.stream().map(ChipSample::chip).toList())
                    .isEqualTo(topology.chips().stream().map(Chip::id).toList());
        }
    }

    @Test
    void nextTimestampAdvancesByOneInterval() {
        ClusterSimulator sim = new ClusterSimulator(SimulationConfig.builder().chips(16).sampleIntervalMillis(250)
                .imperfections(Imperfections.CLEAN)
                .startMillis(1000).build());
        assertThat(sim.nextTimestampMillis()).isEqualTo(1000);
        sim.tick();
        assertThat(sim.nextTimestampMillis()).isEqualTo(1250);
        sim.skipTo(5000);
        assertThat(sim.tick()).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(5000));
        assertThat(sim.nextTimestampMillis()).isEqualTo(5250);
        assertThatThrownBy(() -> sim.skipTo(5000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyChipReportsItsEightLinksWithIdsAndPeersFromTheTopology() {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        Topology topology = sim.topology();
        for (ChipSample s : run.get(0)) {
            Chip chip = topology.chip(s.chip());
            assertThat(s.node()).isEqualTo(chip.node());
            assertThat(s.rack()).isEqualTo(chip.rack());
            assertThat(s.pod()).isEqualTo(chip.pod());
            assertThat(s.links()).hasSize(8);
            for (int i = 0; i < 8; i++) {
                Link link = chip.links().get(i);
                LinkLatency l = s.links().get(i);
                assertThat(l.link()).isEqualTo(link.id());
                assertThat(l.peer()).isEqualTo(link.peerOf(chip.id()));
                assertThat(l.kind()).isEqualTo(link.kind());
            }
            assertThat(s.links().stream().filter(l -> l.kind() == LinkKind.INTRA)).hasSize(7);
            assertThat(s.links().get(7).peer()).isEqualTo(chip.rack() + "-sw");
        }
    }

    @Test
    void readingsAreRoundedToThreeDecimals() {
        for (ChipSample s : run.get(3)) {
            assertThat(isRounded(s.util()) && isRounded(s.tempC()) && isRounded(s.powerW())).isTrue();
            assertThat(s.links()).allSatisfy(l -> assertThat(isRounded(l.latencyUs())).isTrue());
        }
    }

    private static boolean isRounded(double x) {
        return Math.round(x * 1000) / 1000.0 == x;
    }

    @Test
    void powerStaysInTheBoardRangeAndRisesWithUtilisation() {
        List<ChipSample> samples = all();
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.util()).isBetween(0.0, 100.0);
            assertThat(s.powerW()).isBetween(80.0, 420.0);
        });
        // Mean power per 10 % utilisation bin rises from bin to bin.
        double[] sum = new double[11];
        int[] count = new int[11];
        for (ChipSample s : samples) {
            int bin = (int) (s.util() / 10);
            sum[bin] += s.powerW();
            count[bin]++;
        }
        double previous = 0;
        int populated = 0;
        for (int bin = 0; bin < sum.length; bin++) {
            if (count[bin] >= 20) {
                double mean = sum[bin] / count[bin];
                assertThat(mean).as("mean power at %d-%d %%", bin * 10, bin * 10 + 10).isGreaterThan(previous);
                previous = mean;
                populated++;
            }
        }
        assertThat(populated).isGreaterThanOrEqualTo(3);
        assertThat(samples.stream().mapToDouble(ChipSample::powerW).max().orElseThrow()).isGreaterThan(370);
    }

    @Test
    void idleChipsSitNearZeroAndAboutAQuarterOfTheClusterIsIdle() {
        List<ChipSample> first = run.get(0);
        List<ChipSample> idle = first.stream().filter(s -> s.job() == null).toList();
        assertThat((double) idle.size() / first.size()).isBetween(0.15, 0.35);
        assertThat(idle).allSatisfy(s -> assertThat(s.util()).isBetween(0.0, 3.0));
        assertThat(idle).allSatisfy(s -> assertThat(s.powerW()).isBetween(80.0, 105.0));
    }

    @Test
    void temperatureIsPlausibleAndLagsPowerSwings() {
        assertThat(all()).allSatisfy(s -> assertThat(s.tempC()).isBetween(25.0, 90.0));
        int swings = 0;
        for (int t = 1; t < TICKS; t++) {
            for (int c = 0; c < CONFIG.chips(); c++) {
                ChipSample before = run.get(t - 1).get(c);
                ChipSample after = run.get(t).get(c);
                double dPower = after.powerW() - before.powerW();
                if (Math.abs(dPower) > 100) {
                    swings++;
                    // At equilibrium a 100+ W swing moves the die by 12+ °C; in one second of a ~30 s lag it
                    // may cover only a few percent of that (plus sensor noise).
                    double steadyDelta = ChipPhysics.THERMAL_RESISTANCE_MAX * Math.abs(dPower);
                    assertThat(Math.abs(after.tempC() - before.tempC())).isLessThan(0.1 * steadyDelta + 0.8);
                    // ...and in the direction of the swing, noise allowing.
                    assertThat(Math.signum(after.tempC() - before.tempC() + Math.signum(dPower) * 0.8))
                            .isEqualTo(Math.signum(dPower));
                }
            }
        }
        assertThat(swings).as("compute/communication transitions seen").isGreaterThan(100);
    }

    @Test
    void busyChipsRunHotterThanIdleOnes() {
        List<ChipSample> last = run.get(TICKS - 1);
        double busy = last.stream().filter(s -> s.util() > 85).mapToDouble(ChipSample::tempC).average().orElseThrow();
        double idle = last.stream().filter(s -> s.job() == null).mapToDouble(ChipSample::tempC).average().orElseThrow();
        assertThat(busy).isBetween(65.0, 85.0);
        assertThat(idle).isBetween(30.0, 45.0);
    }

    @Test
    void linkLatencyIsNearNominal() {
        double[] fabric = all().stream().flatMap(s -> s.links().stream()).filter(l -> l.kind() == LinkKind.FABRIC)
                .mapToDouble(LinkLatency::latencyUs).sorted().toArray();
        double[] intra = all().stream().flatMap(s -> s.links().stream()).filter(l -> l.kind() == LinkKind.INTRA)
                .mapToDouble(LinkLatency::latencyUs).sorted().toArray();
        assertThat(fabric[fabric.length / 2]).isBetween(3.5, 4.5);
        assertThat(intra[intra.length / 2]).isBetween(1.5, 2.5);
        assertThat(fabric[0]).isGreaterThan(3.0);
        assertThat(intra[0]).isGreaterThan(1.5);
    }

    @Test
    void trainingJobsMoveInLockstepAndCommunicationRaisesLatency() {
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        Map<String, TrainingProfile> multiNodeTraining = new HashMap<>();
        for (Job job : sim.jobs()) {
            if (job.profile() instanceof TrainingProfile p && job.nodeCount() >= 2) {
                multiNodeTraining.put(job.id(), p);
            }
        }
        assertThat(multiNodeTraining).isNotEmpty();
        int commTicks = 0;
        for (List<ChipSample> tick : run) {
            Map<String, List<ChipSample>> byJob = new HashMap<>();
            tick.stream().filter(s -> multiNodeTraining.containsKey(s.job()))
                    .forEach(s -> byJob.computeIfAbsent(s.job(), k -> new ArrayList<>()).add(s));
            for (List<ChipSample> chips : byJob.values()) {
                // All chips of the job in the same phase: either all high or all low, never mixed.
                boolean allHigh = chips.stream().allMatch(s -> s.util() > 75);
                boolean allLow = chips.stream().allMatch(s -> s.util() < 60);
                assertThat(allHigh || allLow).isTrue();
                double fabricMedian = median(chips.stream().mapToDouble(s -> s.links().get(7).latencyUs()).toArray());
                if (allLow) {
                    commTicks++;
                    assertThat(fabricMedian).isGreaterThan(5.5);
                } else {
                    assertThat(fabricMedian).isLessThan(4.6);
                }
            }
        }
        assertThat(commTicks).isPositive();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    void jobsOwnWholeNodes() {
        Map<String, Set<String>> jobsByNode = new HashMap<>();
        for (ChipSample s : run.get(0)) {
            jobsByNode.computeIfAbsent(s.node(), k -> new HashSet<>()).add(String.valueOf(s.job()));
        }
        assertThat(jobsByNode.values()).allSatisfy(jobs -> assertThat(jobs).hasSize(1));
    }

    @Test
    void skippingTicksKeepsTheTemperatureModelContinuous() {
        SimulationConfig config = SimulationConfig.builder().chips(80).seed(5).imperfections(Imperfections.CLEAN)
                .build();
        ClusterSimulator stepped = new ClusterSimulator(config);
        ClusterSimulator skipped = new ClusterSimulator(config);
        stepped.tick();
        skipped.tick();
        for (int i = 0; i < 9; i++) {
            stepped.tick();
        }
        skipped.skipTo(config.startMillis() + 10 * config.sampleIntervalMillis());
        List<ChipSample> a = stepped.tick();
        List<ChipSample> b = skipped.tick();
        for (int c = 0; c < a.size(); c++) {
            assertThat(b.get(c).timestampMillis()).isEqualTo(a.get(c).timestampMillis());
            // Same utilisation and power (same noise key); temperature close (integrated over one 10 s step
            // instead of ten 1 s steps with different powers), not reset.
            assertThat(b.get(c).util()).isEqualTo(a.get(c).util());
            assertThat(b.get(c).tempC()).isCloseTo(a.get(c).tempC(), Offset.offset(8.0));
        }
    }
}
