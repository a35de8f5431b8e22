package io.chipwatch.alerting.notify.alertmanager;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.notify.DeliveryException;
import io.chipwatch.alerting.notify.JsonReceiver;
import io.chipwatch.alerting.notify.Notification;

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
public final class AlertmanagerReceiver extends JsonReceiver {
    /** Same as Prometheus' default resend delay. */
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofMinutes(1);

    private final Duration keepalive;
    private final Clock clock;

    public AlertmanagerReceiver(String name, URI baseUrl, Duration timeout, Duration keepalive, Clock clock) {
        super(name, alertsUri(baseUrl), timeout, "Alertmanager");
        this.keepalive = keepalive;
        this.clock = clock;
    }

    private static URI alertsUri(URI baseUrl) {
        String base = baseUrl.toString().endsWith("/") ? baseUrl.toString() : baseUrl + "/";
        return URI.create(base + "api/v2/alerts");
    }

    /** One alert as API v2 takes it (PostableAlert). */
    public record PostableAlert(@JsonProperty("labels") Map<String, String> labels,
                                @JsonProperty("annotations") Map<String, String> annotations,
                                @JsonProperty("startsAt") String startsAt,
                                @JsonProperty("endsAt") String endsAt,
                                @JsonProperty("generatorURL") String generatorUrl) {
    }

    /** {@code BASE/api/v2/alerts}. */
    public URI alertsUri() {
        return uri();
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        post(body(notification));
    }

    @Override
    public Optional<Duration> keepaliveInterval() {
        return Optional.of(keepalive);
    }

    @Override
    public void keepalive(Collection<Alert> firing, String externalUrl) throws DeliveryException {
        if (!firing.isEmpty()) {
            post(postable(firing, externalUrl));
        }
    }

    private List<PostableAlert> postable(Collection<Alert> alerts, String externalUrl) {
        return alerts.stream().map(a -> postable(a, externalUrl)).toList();
    }

    PostableAlert postable(Alert a, String externalUrl) {
        String endsAt = a.isResolved() && a.endsAt() != null
                ? Instant.ofEpochMilli(Math.max(a.endsAt(), a.startsAt())).toString()
                : clock.instant().plus(keepalive.multipliedBy(4)).toString();
        return new PostableAlert(a.labels(), a.annotations(), Instant.ofEpochMilli(a.startsAt()).toString(), endsAt,
                externalUrl + "/#alert=" + a.fingerprint());
    }

    /** The JSON array a notification becomes. */
    List<PostableAlert> body(Notification n) {
        return postable(n.alerts(), n.externalUrl());
    }
}
