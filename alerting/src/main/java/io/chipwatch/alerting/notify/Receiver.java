package io.chipwatch.alerting.notify;

import io.chipwatch.alerting.alert.Alert;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Somewhere notifications go: one implementation a package ({@code notify/webhook}, {@code notify/alertmanager}).
 * {@link #send} makes one attempt; retries with backoff are {@link Delivery}'s job.
 */
public interface Receiver {

    /** Unique name, used in metrics, logs, the notification log and the webhook payload. */
    String name();

    /**
     * Delivers one notification (blocking, bounded by the receiver's timeouts).
     *
     * @throws DeliveryException when the receiver did not accept it
     */
    void send(Notification notification) throws DeliveryException;

    /**
     * For receivers that forget alerts unless told again (Alertmanager resolves an alert it has not heard of for
     * a while): how often the firing alerts it was told about must be re-sent. Empty (default): never.
     */
    default Optional<Duration> keepaliveInterval() {
        return Optional.empty();
    }

    /** Re-sends firing alerts it was told about (only called when {@link #keepaliveInterval()} is set). */
    default void keepalive(Collection<Alert> firing, String externalUrl)
            throws DeliveryException {
    }
}
