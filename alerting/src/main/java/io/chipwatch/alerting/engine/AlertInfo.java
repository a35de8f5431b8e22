package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;

import java.util.List;

/**
 * An alert with what mutes it, as the API shows it.
 *
 * @param silencedBy  ids of the active silences that match it (firing alerts only)
 * @param inhibitedBy fingerprints of the firing alerts that inhibit it (firing alerts only)
 */
public record AlertInfo(Alert alert, List<String> silencedBy, List<String> inhibitedBy) {

    /** An alert shown without what mutes it (resolved history). */
    public static AlertInfo of(Alert alert) {
        return new AlertInfo(alert, List.of(), List.of());
    }
}
