package io.chipwatch.collector.sim;

import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Topology;

import java.util.Arrays;
import java.util.List;

import static io.chipwatch.collector.sim.ChipPhysics.round3;

/**
 * The links' side of a {@link ClusterSimulator}: every link's nominal latency (both ends share it), each chip's link
 * latencies per tick (its workload's factors, jitter, rare bursts, then whatever link faults change; an intra-node
 * link whose peer chip is silent, chip_down or node_down, carries nothing and is left out), and the latest
 * latency of every link slot for {@code /metrics}. Not thread-safe but for {@link #latest}.
 */
final class LinkLatencies {
    private final ClusterLayout layout;
    private final FaultEffects effects;
    /** Per link (index in topology.links()). */
    private final double[] nominalUs;
    /** Per link slot; written by the sampling thread, read by any. */
    private final double[] latest;

    LinkLatencies(Topology topology, ClusterLayout layout, FaultEffects effects, long seed, long stream) {
        this.layout = layout;
        this.effects = effects;
        Noise noise = new Noise();
        nominalUs = new double[layout.linkCount()];
        for (int l = 0; l < nominalUs.length; l++) {
            noise.reset(seed, stream, l);
            nominalUs[l] = topology.links().get(l).kind() == LinkKind.FABRIC
                    ? noise.uniform(ChipPhysics.FABRIC_US_MIN, ChipPhysics.FABRIC_US_MAX)
                    : noise.uniform(ChipPhysics.INTRA_US_MIN, ChipPhysics.INTRA_US_MAX);
        }
        latest = new double[layout.linkStart(topology.chipCount())];
        Arrays.fill(latest, Double.NaN);
    }

    /** The latest latency of a link slot, µs; NaN when the link was missing from the sample. */
    double latest(int slot) {
        return latest[slot];
    }

    /**
     * Chip {@code c}'s link latencies this tick (and into {@link #latest}); a missing link is left out, and so is
     * an intra-node link whose peer chip is silent this tick (a dead chip's links go dark). The faults' effects
     * must be those of this tick for every chip ({@link FaultEngine#advanceTo} before any chip is sampled).
     *
     * @param noise  the chip's noise stream this tick
     * @param intra  the workload's factor on intra-node latency
     * @param fabric the workload's factor on fabric latency
     */
    List<LinkLatency> sample(int c, Noise noise, double intra, double fabric) {
        int from = layout.linkStart(c);
        int to = layout.linkStart(c + 1);
        LinkLatency[] links = new LinkLatency[to - from];
        int n = 0;
        boolean linkFaults = effects.anyLinkFault();
        for (int s = from; s < to; s++) {
            LinkKind kind = layout.slotKind(s);
            int l = layout.slotLink(s);
            double latency = nominalUs[l] * (kind == LinkKind.FABRIC ? fabric : intra)
                    * (1.0 + ChipPhysics.LATENCY_JITTER * noise.exponential());
            if (noise.uniform() < ChipPhysics.LATENCY_BURST_P) {
                latency *= noise.uniform(ChipPhysics.LATENCY_BURST_MIN, ChipPhysics.LATENCY_BURST_MAX);
            }
            int peer = layout.slotPeerChip(s);
            if (peer >= 0 && effects.silent(peer)) {
                latest[s] = Double.NaN;
                continue;
            }
            if (linkFaults) {
                if (effects.linkMissing(l)) {
                    latest[s] = Double.NaN;
                    continue;
                }
                latency = effects.latency(l, latency);
            }
            latency = round3(latency);
            latest[s] = latency;
            links[n++] = new LinkLatency(layout.slotLinkId(s), layout.slotPeer(s), kind, latency);
        }
        return List.of(n == links.length ? links : Arrays.copyOf(links, n));
    }
}
