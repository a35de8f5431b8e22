package io.chipwatch.alerting.alert;

/**
 * Someone on call took an alert: repeat notifications for it stop; its resolution is still delivered.
 *
 * @param by        who (free text, from the API)
 * @param atMillis  when, epoch ms
 * @param comment   optional note, never null
 */
public record Acknowledgement(String by, long atMillis, String comment) {
    public Acknowledgement {
        by = by == null || by.isBlank() ? "unknown" : by;
        comment = comment == null ? "" : comment;
    }
}
