package io.chipwatch.collector.runtime;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.collector.sim.TransportNoise;
import io.chipwatch.model.sample.ChipSample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class RealTimeSamplerTest {

    @Test
    void alignsUpToTheInterval() {
        assertThat(RealTimeSampler.alignUp(1000, 1000)).isEqualTo(1000);
        assertThat(RealTimeSampler.alignUp(1001, 1000)).isEqualTo(2000);
        assertThat(RealTimeSampler.alignUp(1999, 1000)).isEqualTo(2000);
        assertThat(RealTimeSampler.alignUp(0, 250)).isEqualTo(0);
    }

    /** Every sample once, on its tick (the sampler's schedule is counted in samples; TransportTest has the rest). */
    private static ClusterSimulator simulator(long intervalMillis) {
        return new ClusterSimulator(SimulationConfig.builder().chips(16).sampleIntervalMillis(intervalMillis)
                .imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE))
                .startMillis(RealTimeSampler.alignUp(System.currentTimeMillis(), intervalMillis)).build());
    }

    private record Tick(long timestamp, long wallAfter, long skipped) {
    }

    private static List<Tick> runFor(RealTimeSampler[] holder, ClusterSimulator sim, Consumer<ChipSample> sink,
                                     long millis) throws InterruptedException {
        List<Tick> ticks = new CopyOnWriteArrayList<>();
        RealTimeSampler sampler = new RealTimeSampler(sim, sink,
                (ts, nanos, skipped) -> ticks.add(new Tick(ts, System.currentTimeMillis(), skipped)));
        holder[0] = sampler;
        Thread thread = new Thread(sampler, "sampler-test");
        thread.start();
        Thread.sleep(millis);
        sampler.stop();
        thread.join(5_000);
        assertThat(thread.isAlive()).isFalse();
        return ticks;
    }

    @Test
    void ticksOnAlignedWallClockSlots() throws InterruptedException {
        long interval = 100;
        ClusterSimulator sim = simulator(interval);
        AtomicLong samples = new AtomicLong();
        long started = System.currentTimeMillis();
        RealTimeSampler[] sampler = new RealTimeSampler[1];
        List<Tick> ticks = runFor(sampler, sim, s -> samples.incrementAndGet(), 650);
        assertThat(ticks.size()).isBetween(4, 8);
        assertThat(samples.get()).isEqualTo(16L * ticks.size());
        long previous = 0;
        for (Tick t : ticks) {
            assertThat(t.timestamp() % interval).isZero();
            assertThat(t.timestamp()).isGreaterThanOrEqualTo(started).isGreaterThan(previous);
            // A tick never runs before its time.
            assertThat(t.wallAfter()).isGreaterThanOrEqualTo(t.timestamp());
            previous = t.timestamp();
        }
        assertThat(sampler[0].ticks()).isEqualTo(ticks.size());
    }

    @Test
    void skipsAheadWhenATickTakesLongerThanTheInterval() throws InterruptedException {
        long interval = 50;
        ClusterSimulator sim = simulator(interval);
        long[] lastSlept = {Long.MIN_VALUE};
        Consumer<ChipSample> slowSink = s -> {
            // The first sample of each tick takes 2.6 intervals: every tick overruns.
            if (s.timestampMillis() != lastSlept[0]) {
                lastSlept[0] = s.timestampMillis();
                sleep(130);
            }
        };
        RealTimeSampler[] sampler = new RealTimeSampler[1];
        List<Tick> ticks = runFor(sampler, sim, slowSink, 700);
        assertThat(ticks.size()).isBetween(2, 6);
        assertThat(ticks).allSatisfy(t -> assertThat(t.skipped()).isPositive());
        assertThat(sampler[0].skippedTicks()).isEqualTo(ticks.stream().mapToLong(Tick::skipped).sum());
        for (int i = 1; i < ticks.size(); i++) {
            Tick before = ticks.get(i - 1);
            Tick after = ticks.get(i);
            assertThat(after.timestamp() % interval).isZero();
            // The next tick is the slot after the skipped ones.
            assertThat(after.timestamp()).isEqualTo(before.timestamp() + (1 + before.skipped()) * interval);
        }
    }

    @Test
    void stopBeforeRunReturnsAtOnce() {
        RealTimeSampler sampler = new RealTimeSampler(simulator(1000), s -> { }, (ts, nanos, skipped) -> { });
        sampler.stop();
        long start = System.nanoTime();
        sampler.run();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500);
        assertThat(sampler.ticks()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
