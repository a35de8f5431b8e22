package io.chipwatch.alerting.dedup;

import io.chipwatch.alerting.alert.Alert;
import java.util.Locale;

/**
 * What one anomaly event did to the alerts.
 *
 * @param outcome what happened
 * @param before  the alert before (null when new or unmatched)
 * @param after   the alert after (null when unmatched or duplicate)
 */
public record IngestResult(Outcome outcome, Alert before, Alert after) {

    /** What an anomaly event did. */
    public enum Outcome {
        /** A new alert, waiting for its rule's {@code for}. */
        PENDING,
        /** A new alert, firing at once. */
        FIRING,
        /** Another open anomaly of an alert that is already pending or firing (same labels): no change for anyone. */
        MERGED,
        /** The last open anomaly of the alert closed: it resolved. */
        RESOLVED,
        /** One anomaly closed, others keep the alert open. */
        STILL_OPEN,
        /** An event seen before (redelivery, replay after a restart): ignored. */
        DUPLICATE,
        /** A close for an anomaly this service never saw open: ignored. */
        UNMATCHED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** True when the alert changed and must be persisted. */
    public boolean changed() {
        return after != null && outcome != Outcome.DUPLICATE;
    }
}
