package io.chipwatch.jobs.datatypes;

import java.util.Locale;

/**
 * A level of the cluster that the aggregation job summarises. {@link #CHIP} is a single chip's contribution to the
 * roll-ups; the others are the roll-up measurements of the storage contract (CONTRACTS.md §3).
 */
public enum Level {
    CHIP,
    NODE,
    RACK,
    POD,
    CLUSTER,
    JOB;

    /** The lower-case name: the measurement name of the level's 10-second points, and the base of its capacity measurements. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
