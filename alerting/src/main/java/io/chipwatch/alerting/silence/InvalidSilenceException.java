package io.chipwatch.alerting.silence;

/** A silence that cannot be created, with the reason naming the field (an HTTP layer answers 400). */
public final class InvalidSilenceException extends IllegalArgumentException {
    public InvalidSilenceException(String message) {
        super(message);
    }
}
