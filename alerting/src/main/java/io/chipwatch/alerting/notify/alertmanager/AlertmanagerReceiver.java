package io.chipwatch.alerting.notify.alertmanager;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.notify.DeliveryException;
import io.chipwatch.alerting.notify.JsonPost;
import io.chipwatch.alerting.notify.Notification;
import io.chipwatch.alerting.notify.Receiver;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hands alerts to a real Alertmanager through its API v2 ({@code POST /api/v2/alerts}), as Prometheus does:
 * firing alerts with an {@code endsAt} a few keepalive intervals ahead, re-sent every {@link #keepaliveInterval()}
 * while they fire (else Alertmanager resolves them by itself); resolved alerts with their real end. Alertmanager
 * then applies its own routing, grouping and receivers.
 */
public final class AlertmanagerReceiver implements Receiver {
    /** Same as Prometheus' default resend delay. */
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofMinutes(1);

    private final String name;
    private final URI alertsUri;
    private final JsonPost http;
    private final Duration keepalive;
    private final Clock clock;

    public AlertmanagerReceiver(String name, URI baseUrl, Duration timeout, Duration keepalive, Clock clock) {
        this.name = name;
        String base = baseUrl.toString().endsWith("/") ? baseUrl.toString() : baseUrl + "/";
        this.alertsUri = URI.create(base + "api/v2/alerts");
        this.http = new JsonPost(Duration.ofSeconds(2), timeout);
        this.keepalive = keepalive;
        this.clock = clock;
    }

    /** One alert as API v2 takes it (PostableAlert). */
    public record PostableAlert(@JsonProperty("labels") Map<String, String> labels,
                                @JsonProperty("annotations") Map<String, String> annotations,
                                @JsonProperty("startsAt") String startsAt,
                                @JsonProperty("endsAt") String endsAt,
                                @JsonProperty("generatorURL") String generatorUrl) {
    }

    @Override
    public String name() {
        return name;
    }

    public URI alertsUri() {
        return alertsUri;
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        http.post(alertsUri, notification.alerts().stream().map(a -> postable(a, notification.externalUrl())).toList());
    }

    @Override
    public Optional<Duration> keepaliveInterval() {
        return Optional.of(keepalive);
    }

    @Override
    public void keepalive(Collection<Alert> firing, String externalUrl) throws DeliveryException {
        if (!firing.isEmpty()) {
            http.post(alertsUri, firing.stream().map(a -> postable(a, externalUrl)).toList());
        }
    }

    PostableAlert postable(Alert a, String externalUrl) {
        String endsAt = a.isResolved() && a.endsAt() != null
                ? Instant.ofEpochMilli(Math.max(a.endsAt(), a.startsAt())).toString()
                : clock.instant().plus(keepalive.multipliedBy(4)).toString();
        return new PostableAlert(a.labels(), a.annotations(), Instant.ofEpochMilli(a.startsAt()).toString(), endsAt,
                externalUrl + "/#alert=" + a.fingerprint());
    }

    @Override
    public String toString() {
        return name + " (Alertmanager " + alertsUri + ")";
    }

    /** For tests: the JSON array a notification becomes. */
    List<PostableAlert> body(Notification n) {
        return n.alerts().stream().map(a -> postable(a, n.externalUrl())).toList();
    }
}
