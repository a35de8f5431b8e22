package io.chipwatch.model.anomaly;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The level of the cluster an anomaly is about; its {@link Anomaly#entity()} is an id at that level
 * (a chip id, a node id, a rack id, a pod id, a link id or a job id).
 */
public enum Scope {
    CHIP, NODE, RACK, POD, LINK, JOB;

    /** Lower-case name, also the hierarchy tag key of that level: {@code chip}, {@code node}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope whose {@link #label()} is {@code label} (case-insensitive), if any. */
    public static Optional<Scope> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String wanted = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.label().equals(wanted)).findFirst();
    }
}
