package io.chipwatch.model.anomaly;

import io.chipwatch.model.EnumLabels;
import java.util.Optional;

/** How urgent an anomaly (and the alert made of it) is, most urgent first. */
public enum Severity {
    /** Someone must act now (a page). */
    CRITICAL,
    /** Needs attention soon, does not wake anyone. */
    WARNING,
    /** For the record. */
    INFO;

    /** Lower-case name as used in labels and tags: {@code critical}, {@code warning}, {@code info}. */
    public String label() {
        return EnumLabels.label(this);
    }

    /** The severity whose {@link #label()} is {@code label} (case-insensitive), if any. */
    public static Optional<Severity> fromLabel(String label) {
        return EnumLabels.find(Severity.class, label);
    }
}
