package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultType;

import java.util.Objects;

/**
 * A fault to inject: what, where, when and for how long.
 *
 * @param type           the fault
 * @param target         an entity id of the fault's scope (chip, node, rack or link id), or a selector resolved
 *                       deterministically when the fault starts (see {@link TargetSelector})
 * @param atMillis       when it starts, epoch ms: at the first tick at or after this instant; {@link #NOW} for the
 *                       next tick
 * @param durationMillis how long it lasts; 0 = until cleared (or the end of the run). Ignored by
 *                       {@code sensor_glitch}, which is always exactly one sample
 */
public record FaultRequest(FaultType type, String target, long atMillis, long durationMillis) {
    /** {@link #atMillis()} of a fault that starts at the next tick. */
    public static final long NOW = Long.MIN_VALUE;

    public FaultRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        if (durationMillis < 0) {
            throw new IllegalArgumentException("duration must not be negative, got " + durationMillis + " ms");
        }
    }
}
