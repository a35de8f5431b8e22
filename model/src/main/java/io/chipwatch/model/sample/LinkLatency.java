package io.chipwatch.model.sample;

import java.util.Objects;

/**
 * One link's latency as seen from one of its ends at the instant of a {@link ChipSample}.
 *
 * @param link      stable link id
 * @param peer      the entity at the other end (a chip id, or the rack switch for fabric links)
 * @param kind      intra-node mesh or scale-out fabric
 * @param latencyUs measured latency in microseconds
 */
public record LinkLatency(String link, String peer, LinkKind kind, double latencyUs) {
    public LinkLatency {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(kind, "kind");
    }
}
