package io.chipwatch.model.sample;

import java.util.Locale;

/** Which fabric a link belongs to: the full mesh inside a node, or the chip's scale-out link to its rack switch. */
public enum LinkKind {
    INTRA,
    FABRIC;

    /** Computed once: detectors and sinks ask for it per link reading. */
    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in tags and JSON ({@code intra}, {@code fabric}). */
    public String label() {
        return label;
    }

    /** Parses {@link #label()} back; case-insensitive. */
    public static LinkKind fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
