package io.chipwatch.model.fault;

import io.chipwatch.model.EnumLabels;

/** What kind of entity a fault targets. */
public enum FaultScope {
    CHIP,
    NODE,
    RACK,
    LINK;

    /** The lower-case name used in JSON and on the command line ({@code chip}, {@code rack}, …). */
    public String label() {
        return EnumLabels.label(this);
    }

    /** Parses {@link #label()} back; case-insensitive. */
    public static FaultScope fromLabel(String label) {
        return EnumLabels.parse(FaultScope.class, label);
    }
}
