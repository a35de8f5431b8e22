package io.chipwatch.jobs.datatypes;

/**
 * How many chips a node has as {@link io.chipwatch.jobs.detect.SilenceDetector} counts them (chips heard from and not
 * yet forgotten), sent when the count changes: the fleet the {@link io.chipwatch.jobs.detect.SilenceGate} compares a
 * silence with.
 *
 * @param node  node id
 * @param chips its chips; 0 when every one was forgotten
 */
public record NodeMembers(String node, int chips) {
}
