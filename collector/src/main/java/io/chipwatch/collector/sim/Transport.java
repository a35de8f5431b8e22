package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.sample.ChipSample;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The path from a chip's exporter to the pipeline, with its imperfections ({@link TransportNoise}): samples late
 * by up to a few seconds, delivered twice or never, and nodes whose clock is a few hundred milliseconds off (their
 * samples carry the node's time). Samples come out in the order they would arrive: an on-time sample at once, a
 * late or repeated one at the first tick at or after its arrival, before that tick's own samples; so a late
 * sample follows samples with later timestamps and a duplicate appears twice.
 *
 * <p>Deterministic: a sample's fate is drawn from (seed, timestamp, chip), a node's clock offset from (seed, node).
 * Not thread-safe: the sampling thread only.
 */
final class Transport {
    private static final long STREAM_TRANSPORT = -6;
    private static final long STREAM_CLOCKS = -7;
    private static final long DUPLICATE_MIN_MILLIS = 200, DUPLICATE_MAX_MILLIS = 2_000;
    private static final long LATE_MIN_MILLIS = 500;

    private record InFlight(long arrivalMillis, long seq, ChipSample sample) {
    }

    private final TransportNoise noiseRates;
    private final long seed;
    private final long[] clockOffsetMillis;
    private final Noise noise = new Noise();
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(InFlight::arrivalMillis).thenComparingLong(InFlight::seq));
    private long seq;
    private long late;
    private long duplicated;
    private long dropped;

    Transport(TransportNoise rates, long seed, int nodeCount) {
        this.noiseRates = rates;
        this.seed = seed;
        this.clockOffsetMillis = new long[nodeCount];
        if (rates.skewedNodeFraction() > 0) {
            for (int n = 0; n < nodeCount; n++) {
                noise.reset(seed, STREAM_CLOCKS, n);
                if (noise.uniform() < rates.skewedNodeFraction()) {
                    long offset = Math.round(noise.uniform(rates.clockOffsetMinMillis(), rates.clockOffsetMaxMillis()));
                    clockOffsetMillis[n] = noise.uniform() < 0.5 ? -offset : offset;
                }
            }
        }
    }

    /** How far the node's clock is off, ms (its samples carry the true time plus this). */
    long clockOffsetMillis(int node) {
        return clockOffsetMillis[node];
    }

    /** How far the clock stamping a fault target's samples is off: its node's; the earliest of a rack's nodes'. */
    long stampOffsetMillis(ClusterLayout layout, FaultScope scope, int index) {
        return switch (scope) {
            case CHIP -> clockOffsetMillis[layout.chipNode(index)];
            case NODE -> clockOffsetMillis[index];
            case LINK -> clockOffsetMillis[layout.chipNode(layout.linkChip(index))];
            case RACK -> {
                long min = Long.MAX_VALUE;
                for (int n = layout.rackFirstNode(index); n < layout.rackFirstNode(index + 1); n++) {
                    min = Math.min(min, clockOffsetMillis[n]);
                }
                yield min == Long.MAX_VALUE ? 0 : min;
            }
        };
    }

    /** Hands {@code sink} every sample in flight that arrives at or before {@code now}, in arrival order. */
    void release(long now, Consumer<? super ChipSample> sink) {
        while (!inFlight.isEmpty() && inFlight.peek().arrivalMillis() <= now) {
            sink.accept(inFlight.poll().sample());
        }
    }

    /** Sends a sample made at true time {@code now} by {@code chip}: to {@code sink} now, later, twice or never. */
    void send(ChipSample sample, int chip, long now, Consumer<? super ChipSample> sink) {
        if (!noiseRates.any()) {
            sink.accept(sample);
            return;
        }
        noise.reset(seed, STREAM_TRANSPORT, Noise.mix(now) + chip);
        double fate = noise.uniform();
        long arrival = now;
        if (fate < noiseRates.dropFraction()) {
            dropped++;
            return;
        }
        if (fate < noiseRates.dropFraction() + noiseRates.lateFraction()) {
            arrival = now + Math.round(noise.uniform(LATE_MIN_MILLIS, noiseRates.lateMaxMillis()));
            inFlight.add(new InFlight(arrival, seq++, sample));
            late++;
        } else {
            sink.accept(sample);
        }
        if (noise.uniform() < noiseRates.duplicateFraction()) {
            inFlight.add(new InFlight(arrival + Math.round(noise.uniform(DUPLICATE_MIN_MILLIS, DUPLICATE_MAX_MILLIS)),
                    seq++, sample));
            duplicated++;
        }
    }

    /** Hands {@code sink} every sample still in flight, in arrival order (the end of a run). */
    void drain(Consumer<? super ChipSample> sink) {
        release(Long.MAX_VALUE, sink);
    }

    /** Samples sent late so far. */
    long late() {
        return late;
    }

    /** Samples sent twice so far. */
    long duplicated() {
        return duplicated;
    }

    /** Samples dropped so far. */
    long dropped() {
        return dropped;
    }
}
