package io.chipwatch.cli.capacity;

import java.time.Instant;

/**
 * One entity during one step.
 *
 * @param entity        the pod, rack, node or job; {@code null} for chips without that tag (chips in no job)
 * @param start         the step's start
 * @param utilMean      mean utilisation of the entity's chips over the step, % (chip-time weighted)
 * @param chipHours     chip-hours reported
 * @param idleChipHours of which idle (util_mean under the threshold; for a job: chips allocated to it but idle)
 */
public record CapacityRow(String entity, Instant start, double utilMean, double chipHours, double idleChipHours) {

    /** Chip-hours that were not idle. */
    public double busyChipHours() {
        return chipHours - idleChipHours;
    }

    /** Idle share of the chip-hours, %. */
    public double idlePercent() {
        return chipHours == 0 ? 0 : 100.0 * idleChipHours / chipHours;
    }
}
