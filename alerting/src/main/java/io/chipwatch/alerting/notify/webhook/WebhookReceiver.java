package io.chipwatch.alerting.notify.webhook;

import io.chipwatch.alerting.notify.DeliveryException;
import io.chipwatch.alerting.notify.JsonReceiver;
import io.chipwatch.alerting.notify.Notification;

import java.net.URI;
import java.time.Duration;

/** POSTs each notification to a URL as Alertmanager's webhook JSON ({@link WebhookPayload}). */
public final class WebhookReceiver extends JsonReceiver {

    public WebhookReceiver(String name, URI url, Duration timeout) {
        super(name, url, timeout, "webhook");
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        post(WebhookPayload.of(notification));
    }
}
