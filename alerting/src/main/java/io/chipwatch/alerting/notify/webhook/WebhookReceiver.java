package io.chipwatch.alerting.notify.webhook;

import io.chipwatch.alerting.notify.DeliveryException;
import io.chipwatch.alerting.notify.JsonPost;
import io.chipwatch.alerting.notify.Notification;
import io.chipwatch.alerting.notify.Receiver;

import java.net.URI;
import java.time.Duration;

/** POSTs each notification to a URL as Alertmanager's webhook JSON ({@link WebhookPayload}). */
public final class WebhookReceiver implements Receiver {
    private final String name;
    private final URI url;
    private final JsonPost http;

    public WebhookReceiver(String name, URI url, Duration timeout) {
        this.name = name;
        this.url = url;
        this.http = new JsonPost(Duration.ofSeconds(2), timeout);
    }

    @Override
    public String name() {
        return name;
    }

    public URI url() {
        return url;
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        http.post(url, WebhookPayload.of(notification));
    }

    @Override
    public String toString() {
        return name + " (webhook " + url + ")";
    }
}
