package io.chipwatch.collector.control;

import io.chipwatch.collector.sim.FaultStatus;

import java.util.List;
import java.util.Locale;

/**
 * A fault as the control endpoint shows it ({@code GET /faults}, the answer to {@code POST /faults}, the
 * {@code fault} command's input): labels in lower case, times in epoch ms, {@code null} where not (yet) known.
 */
public record FaultView(String id, String type, String target, String targetScope, String state, String source,
                        Long requestedAtMillis, Long onsetMillis, Long endMillis, long durationMillis,
                        String detail) {

    /** {@code {"faults": [...]}}. */
    public record Listing(List<FaultView> faults) {
    }

    /** {@code {"cleared": [...]}}. */
    public record Cleared(List<FaultView> cleared) {
    }

    /** {@code {"state": "pending", "detail": ...}}: accepted, the sampling loop has not got to it yet (202). */
    public record Pending(String state, String detail) {
        static Pending of(String detail) {
            return new Pending("pending", detail);
        }
    }

    /** The view of {@code s}. */
    public static FaultView of(FaultStatus s) {
        return new FaultView(s.id(), s.type().label(), s.target(), s.targetScope().label(),
                s.state().name().toLowerCase(Locale.ROOT), s.source(), s.requestedAtMillis(), s.onsetMillis(),
                s.endMillis(), s.durationMillis(), s.detail());
    }

    static List<FaultView> of(List<FaultStatus> faults) {
        return faults.stream().map(FaultView::of).toList();
    }
}
