package io.chipwatch.alerting.notify;

/** A receiver did not accept a notification (unreachable, timeout, non-2xx answer). */
public final class DeliveryException extends Exception {
    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
