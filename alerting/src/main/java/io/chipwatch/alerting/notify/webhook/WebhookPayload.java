package io.chipwatch.alerting.notify.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.notify.Notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook body (version 4), so any tool that takes Alertmanager webhooks takes ours:
 * {@code version, groupKey, truncatedAlerts, status, receiver, groupLabels, commonLabels, commonAnnotations,
 * externalURL, alerts[]} with each alert's {@code status, labels, annotations, startsAt, endsAt, generatorURL,
 * fingerprint}. A firing alert's {@code endsAt} is Alertmanager's zero time {@code 0001-01-01T00:00:00Z}.
 */
public record WebhookPayload(
        @JsonProperty("version") String version,
        @JsonProperty("groupKey") String groupKey,
        @JsonProperty("truncatedAlerts") int truncatedAlerts,
        @JsonProperty("status") String status,
        @JsonProperty("receiver") String receiver,
        @JsonProperty("groupLabels") Map<String, String> groupLabels,
        @JsonProperty("commonLabels") Map<String, String> commonLabels,
        @JsonProperty("commonAnnotations") Map<String, String> commonAnnotations,
        @JsonProperty("externalURL") String externalUrl,
        @JsonProperty("alerts") List<WebhookAlert> alerts) {

    /** Alertmanager writes this for "no end yet". */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** One alert of the payload. */
    public record WebhookAlert(
            @JsonProperty("status") String status,
            @JsonProperty("labels") Map<String, String> labels,
            @JsonProperty("annotations") Map<String, String> annotations,
            @JsonProperty("startsAt") String startsAt,
            @JsonProperty("endsAt") String endsAt,
            @JsonProperty("generatorURL") String generatorUrl,
            @JsonProperty("fingerprint") String fingerprint) {
    }

    public static WebhookPayload of(Notification n) {
        List<WebhookAlert> alerts = n.alerts().stream().map(a -> alert(n, a)).toList();
        return new WebhookPayload("4", n.groupKey(), 0, n.status(), n.receiver(), n.groupLabels(), n.commonLabels(),
                n.commonAnnotations(), n.externalUrl(), alerts);
    }

    private static WebhookAlert alert(Notification n, Alert a) {
        return new WebhookAlert(a.isFiring() ? "firing" : "resolved", a.labels(), a.annotations(),
                Instant.ofEpochMilli(a.startsAt()).toString(),
                a.isResolved() && a.endsAt() != null ? Instant.ofEpochMilli(a.endsAt()).toString() : ZERO_TIME,
                n.generatorUrl(a), a.fingerprint());
    }
}
