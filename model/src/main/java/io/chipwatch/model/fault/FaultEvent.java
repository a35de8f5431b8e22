package io.chipwatch.model.fault;

import io.chipwatch.model.EnumLabels;
import java.util.Objects;

/**
 * One line of ground truth: a fault's onset or its end. The collector publishes both to the {@code fault-truth}
 * topic (key = {@link #id()}, value = JSON with these field names) and {@code simulate --truth FILE} writes them
 * as JSON lines; detectors never read them, the evaluation does.
 *
 * <p>JSON: {@code {"id":"f-0001","type":"overheat","target":"p00-r01-n02-c03","targetScope":"chip",
 * "onsetMillis":…,"endMillis":…|null,"phase":"onset"|"end"}}. {@code endMillis} is the planned end on an onset
 * event (null when the fault lasts until cleared) and the actual end on an end event.
 *
 * @param id          unique id of the fault; its onset and end events share it
 * @param type        the fault
 * @param target      the entity id: chip, node, rack or link id
 * @param targetScope what kind of entity {@code target} is
 * @param onsetMillis timestamp of the first sample that shows the fault, epoch ms
 * @param endMillis   timestamp of the first sample no longer affected, epoch ms; null when not known yet
 * @param phase       which of the two events this is
 */
public record FaultEvent(String id, FaultType type, String target, FaultScope targetScope, long onsetMillis,
                         Long endMillis, Phase phase) {

    /** Onset or end of a fault. */
    public enum Phase {
        ONSET,
        END;

        public String label() {
            return EnumLabels.label(this);
        }

        public static Phase fromLabel(String label) {
            return EnumLabels.parse(Phase.class, label);
        }
    }

    public FaultEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetScope, "targetScope");
        Objects.requireNonNull(phase, "phase");
    }

    /** When this event happened: the onset, or the end. */
    public long timestampMillis() {
        return phase == Phase.ONSET || endMillis == null ? onsetMillis : endMillis;
    }
}
