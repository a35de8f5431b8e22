package io.chipwatch.alerting.alert;

/** The command does not apply to an alert that has resolved, e.g. acknowledging it (an HTTP layer answers 409). */
public final class AlertResolvedException extends IllegalStateException {
    public AlertResolvedException(String message) {
        super(message);
    }
}
