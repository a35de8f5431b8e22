package io.chipwatch.jobs.datatypes;

/**
 * One link's latency over one window as seen from one of its ends: the row behind a {@code link} point of the
 * storage contract (CONTRACTS.md §3). Both ends of an intra-node link report it, so such a link has two rows per
 * window, told apart by {@code chip}.
 *
 * @param link          link id
 * @param chip          the reporting chip
 * @param peer          the other end (a chip, or the rack switch)
 * @param node          node of the reporting chip
 * @param rack          rack of the reporting chip
 * @param pod           pod of the reporting chip
 * @param kind          {@code intra} or {@code fabric}
 * @param windowStart   window start, epoch ms; the point's timestamp
 * @param latencyUsMean mean latency, µs (exact)
 * @param latencyUsP99  99th percentile (nearest rank) from the link's {@link io.chipwatch.jobs.sketch.LatencySketch},
 *                      at most 0.1 % above the exact value
 * @param latencyUsMax  maximum latency, µs (exact)
 * @param samples       number of latency readings in the window
 */
public record LinkWindow(String link, String chip, String peer, String node, String rack, String pod, String kind,
                         long windowStart, double latencyUsMean, double latencyUsP99, double latencyUsMax,
                         long samples) {
}
