package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.fault.FaultType;

/**
 * A fault as the simulator knows it, for listings ({@code GET /faults}, {@code fault list}).
 *
 * @param id             fault id (the ground truth's id)
 * @param type           the fault
 * @param target         the resolved entity id; the selector while still pending
 * @param targetScope    kind of entity
 * @param state          where it is in its life
 * @param source         {@code scenario} or {@code live}
 * @param requestedAtMillis when it was asked to start (epoch ms; null: at the next tick)
 * @param onsetMillis    timestamp of its first affected sample; null while pending
 * @param endMillis      planned end while pending or active (null: until cleared), actual end once ended
 * @param durationMillis requested duration, 0 = until cleared
 * @param detail         why it was skipped, or its drawn parameters (e.g. {@code rate=1.2C/s})
 */
public record FaultStatus(String id, FaultType type, String target, FaultScope targetScope, State state,
                          String source, Long requestedAtMillis, Long onsetMillis, Long endMillis,
                          long durationMillis, String detail) {

    /** Life of a fault. */
    public enum State {
        /** Scheduled or injected, waiting for its tick. */
        PENDING,
        /** Shaping the samples now. */
        ACTIVE,
        /** Ran its course. */
        ENDED,
        /** Ended (or never started) because faults were cleared. */
        CLEARED,
        /** Could not start: no entity matched its selector. */
        SKIPPED
    }
}
