package io.chipwatch.jobs.datatypes;

import java.util.Map;

/**
 * What one end of a link concluded about it: a link anomaly opened or closed as seen from the chip at that end.
 * {@link io.chipwatch.jobs.detect.LinkLatencyDetector} emits these per chip; {@link io.chipwatch.jobs.detect.LinkRollup}
 * merges the two ends of a link into one anomaly.
 *
 * @param timestampMillis event time of the reading that decided
 * @param link            link id
 * @param chip            the reporting end (a chip)
 * @param peer            the other end (a chip, or the rack switch for a fabric link)
 * @param kind            {@code intra} or {@code fabric}
 * @param node            node of the reporting chip
 * @param rack            rack of the reporting chip
 * @param pod             pod of the reporting chip
 * @param type            the anomaly type name ({@code LINK_DEGRADED} or {@code LINK_FLAP})
 * @param open            true when the end opens it, false when it closes
 * @param ratio           evidence: the latency as a multiple of the end's baseline (0 for missing readings)
 * @param baselineUs      the end's latency baseline, µs
 * @param detail          human-readable evidence
 * @param facts           the verdict's own facts by {@link io.chipwatch.model.anomaly.Fact} key (bursts, window,
 *                        missing readings, ratio limit...), beyond ratio and baseline; empty on a close (null in
 *                        events checkpointed before facts existed: read as empty)
 */
public record LinkEndEvent(long timestampMillis, String link, String chip, String peer, String kind, String node,
                           String rack, String pod, String type, boolean open, double ratio, double baselineUs,
                           String detail, Map<String, Double> facts) {

    public LinkEndEvent {
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    /** An event without facts of its own (a close). */
    public LinkEndEvent(long timestampMillis, String link, String chip, String peer, String kind, String node,
                        String rack, String pod, String type, boolean open, double ratio, double baselineUs,
                        String detail) {
        this(timestampMillis, link, chip, peer, kind, node, rack, pod, type, open, ratio, baselineUs, detail,
                Map.of());
    }
}
