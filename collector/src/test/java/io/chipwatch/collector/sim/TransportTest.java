package io.chipwatch.collector.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.fault.FaultType;
import io.chipwatch.model.sample.ChipSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The transport's imperfections on the generated data (docs/SIMULATOR.md): samples late by up to a few seconds and
 * emitted in arrival order, some twice, a few never, and some nodes' clocks a few hundred milliseconds off, with
 * the ground truth stamped on the same clocks.
 */
class TransportTest {
    private static final int CHIPS = 800;
    private static final int TICKS = 120;
    private static final SimulationConfig CONFIG = SimulationConfig.builder().chips(CHIPS).seed(12).build();
    private static final long T0 = CONFIG.startMillis();

    /** A sample as it came out, with the tick at which it came out. */
    private record Out(ChipSample sample, int tick) {
    }

    private static List<Out> emit(SimulationConfig config, int ticks) {
        ClusterSimulator sim = new ClusterSimulator(config);
        List<Out> out = new ArrayList<>();
        for (int t = 0; t < ticks; t++) {
            int tick = t;
            sim.tick(s -> out.add(new Out(s, tick)));
        }
        sim.drain(s -> out.add(new Out(s, ticks)));
        return out;
    }

    /** The node's clock offset as its samples show it: timestamp minus the tick's true time. */
    private static Map<String, Long> offsets(List<Out> out) {
        Map<String, Long> byNode = new HashMap<>();
        for (Out o : out) {
            long offset = Math.floorMod(o.sample().timestampMillis() - T0 + 500, 1000L) - 500;
            byNode.putIfAbsent(o.sample().node(), offset);
            assertThat(byNode.get(o.sample().node())).as(o.sample().node()).isEqualTo(offset);
        }
        return byNode;
    }

    @Test
    void samplesComeInArrivalOrderSomeLateSomeTwiceAFewNever() {
        List<Out> out = emit(CONFIG, TICKS);
        Map<String, Long> offsets = offsets(out);
        Map<String, Integer> copies = new HashMap<>();
        long late = 0;
        long newest = Long.MIN_VALUE;
        long behindNewer = 0;
        for (Out o : out) {
            ChipSample s = o.sample();
            long trueTime = s.timestampMillis() - offsets.get(s.node());
            int madeAt = (int) ((trueTime - T0) / 1000);
            int delayTicks = o.tick() - madeAt;
            // Late by at most 3 s (+ 2 s for a repeat of a late one): it comes out within five ticks.
            assertThat(delayTicks).isBetween(0, 5);
            if (copies.merge(s.chip() + "@" + s.timestampMillis(), 1, Integer::sum) == 1 && delayTicks > 0) {
                late++;
            }
            if (s.timestampMillis() < newest - 500) {
                behindNewer++;
            }
            newest = Math.max(newest, s.timestampMillis());
        }
        long made = (long) CHIPS * TICKS;
        long twice = copies.values().stream().filter(n -> n == 2).count();
        long never = made - copies.size();
        assertThat(copies.values()).allSatisfy(n -> assertThat(n).isBetween(1, 2));
        assertThat(late).as("late samples (1 %% expected)").isBetween(made / 200, made / 60);
        assertThat(behindNewer).as("samples following later timestamps").isGreaterThanOrEqualTo(late / 2);
        assertThat(twice).as("duplicates (0.1 %% expected)").isBetween(made / 3000, made / 400);
        assertThat(never).as("dropped (0.02 %% expected)").isBetween(3L, made / 1500);
        assertThat(out).hasSize((int) (made - never + twice));
    }

    @Test
    void aFewNodesClocksAreAFewHundredMillisecondsOff() {
        Map<String, Long> offsets = offsets(emit(CONFIG, 3));
        List<Long> skewed = offsets.values().stream().filter(o -> o != 0).toList();
        assertThat(offsets).hasSize(CHIPS / 8);
        assertThat(skewed).as("skewed nodes of 100 (5 %% expected)").hasSizeBetween(1, 15);
        assertThat(skewed).allSatisfy(o -> assertThat(Math.abs(o)).isBetween(100L, 400L));
    }

    @Test
    void theGroundTruthIsStampedOnTheClockOfTheFaultsNode() {
        Map<String, Long> offsets = offsets(emit(CONFIG, 3));
        String node = offsets.entrySet().stream().filter(e -> e.getValue() != 0).findFirst().orElseThrow().getKey();
        long offset = offsets.get(node);
        ClusterSimulator sim = new ClusterSimulator(CONFIG);
        List<FaultEvent> truth = new ArrayList<>();
        sim.faultListener(truth::add);
        sim.schedule(new FaultRequest(FaultType.NODE_DOWN, node, T0 + 5_000, 5_000));
        Set<Long> seenFromNode = new HashSet<>();
        for (int t = 0; t < 15; t++) {
            sim.tick(s -> {
                if (s.node().equals(node)) {
                    seenFromNode.add(s.timestampMillis());
                }
            });
        }
        assertThat(truth).hasSize(2);
        long onset = truth.get(0).onsetMillis();
        long end = truth.get(1).endMillis();
        assertThat(onset).isEqualTo(T0 + 5_000 + offset);
        assertThat(end).isEqualTo(T0 + 10_000 + offset);
        // The first missing and the first returning sample, as the node stamps them.
        assertThat(seenFromNode).doesNotContain(onset).contains(onset - 1000, end);
    }

    @Test
    void aPerfectTransportDeliversEverySampleOnceOnTimeAndInOrder() {
        SimulationConfig perfect = CONFIG.toBuilder()
                .imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE)).build();
        List<Out> out = emit(perfect, 10);
        assertThat(out).hasSize(CHIPS * 10);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).sample().timestampMillis()).isEqualTo(T0 + (i / CHIPS) * 1000L);
        }
    }
}
