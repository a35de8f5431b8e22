package io.chipwatch.model.anomaly;

import io.chipwatch.model.EnumLabels;
import java.util.Optional;

/**
 * The level of the cluster an anomaly is about; its {@link Anomaly#entity()} is an id at that level
 * (a chip id, a node id, a rack id, a pod id, a link id or a job id), or a component of the telemetry path.
 */
public enum Scope {
    CHIP, NODE, RACK, POD, LINK, JOB,
    /** Part of the telemetry path (the collector, the samples topic), not of the cluster; no hierarchy tag. */
    SOURCE;

    /** Lower-case name, also the hierarchy tag key of that level: {@code chip}, {@code node}, ... */
    public String label() {
        return EnumLabels.label(this);
    }

    /** The scope whose {@link #label()} is {@code label} (case-insensitive), if any. */
    public static Optional<Scope> fromLabel(String label) {
        return EnumLabels.find(Scope.class, label);
    }
}
