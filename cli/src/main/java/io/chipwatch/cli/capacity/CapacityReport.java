package io.chipwatch.cli.capacity;

import java.util.List;

/** What {@code capacity} prints: the plan it read with and one row per entity and step, sorted by entity then time. */
public record CapacityReport(CapacityPlan plan, List<CapacityRow> rows) {
    public CapacityReport {
        rows = List.copyOf(rows);
    }
}
