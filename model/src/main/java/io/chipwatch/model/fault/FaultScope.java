package io.chipwatch.model.fault;

import java.util.Locale;

/** What kind of entity a fault targets. */
public enum FaultScope {
    CHIP,
    NODE,
    RACK,
    LINK;

    /** The lower-case name used in JSON and on the command line ({@code chip}, {@code rack}, …). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()} back; case-insensitive. */
    public static FaultScope fromLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
