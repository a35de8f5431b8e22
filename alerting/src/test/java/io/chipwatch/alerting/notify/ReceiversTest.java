package io.chipwatch.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Fingerprint;
import io.chipwatch.alerting.notify.alertmanager.AlertmanagerReceiver;
import io.chipwatch.alerting.notify.webhook.WebhookReceiver;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.alerting.testing.TestWebhook;
import io.chipwatch.infra.FreePorts;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The two receivers against a real HTTP endpoint: payload shape, and failures as DeliveryException. */
class ReceiversTest {
    private final MutableClock clock = new MutableClock();

    static Alert alert(String chip, AlertStatus status) {
        TreeMap<String, String> labels = new TreeMap<>(Map.of("alertname", "ChipDown", "severity", "critical",
                "entity", chip, "chip", chip, "node", "p00-r01-n02"));
        TreeMap<String, String> annotations = new TreeMap<>(Map.of("summary", "Chip " + chip + " stopped reporting"));
        return new Alert(Fingerprint.of(labels), labels, annotations, status,
                1_764_000_000_000L, 1_764_000_000_000L, 1_764_000_000_100L,
                status == AlertStatus.RESOLVED ? 1_764_000_060_000L : null, 1_764_000_000_050L, 0, List.of("x"),
                List.of(), 1, 0, null);
    }

    private static Notification notification(Alert... alerts) {
        return Notification.of(new Batch("hook", "{}:{alertname=\"ChipDown\"}", Map.of("alertname", "ChipDown"),
                List.of(alerts), Batch.Reason.NEW, 0), "http://alerting.test:9095");
    }

    @Test
    void theWebhookGetsAlertmanagersWebhookJson() throws Exception {
        try (TestWebhook hook = new TestWebhook()) {
            Receiver r = new WebhookReceiver("hook", URI.create(hook.url()), Duration.ofSeconds(2));
            r.send(notification(alert("c1", AlertStatus.FIRING), alert("c2", AlertStatus.RESOLVED)));
            JsonNode body = hook.received().get(0).body();
            assertThat(body.get("version").asText()).isEqualTo("4");
            assertThat(body.get("groupKey").asText()).isEqualTo("{}:{alertname=\"ChipDown\"}");
            assertThat(body.get("truncatedAlerts").asInt()).isZero();
            assertThat(body.get("status").asText()).isEqualTo("firing");
            assertThat(body.get("receiver").asText()).isEqualTo("hook");
            assertThat(body.get("groupLabels").get("alertname").asText()).isEqualTo("ChipDown");
            assertThat(body.get("commonLabels").get("node").asText()).isEqualTo("p00-r01-n02");
            assertThat(body.get("commonLabels").has("chip")).as("differs between the alerts").isFalse();
            assertThat(body.get("commonAnnotations").size()).isZero();
            assertThat(body.get("externalURL").asText()).isEqualTo("http://alerting.test:9095");
            JsonNode firing = body.get("alerts").get(0);
            assertThat(firing.get("status").asText()).isEqualTo("firing");
            assertThat(firing.get("startsAt").asText()).isEqualTo("2025-11-24T16:00:00Z");
            assertThat(firing.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
            assertThat(firing.get("generatorURL").asText()).startsWith("http://alerting.test:9095/#alert=");
            assertThat(firing.get("fingerprint").asText()).matches("[0-9a-f]{16}");
            assertThat(firing.get("labels").get("chip").asText()).isEqualTo("c1");
            assertThat(firing.get("annotations").get("summary").asText()).contains("c1");
            JsonNode resolved = body.get("alerts").get(1);
            assertThat(resolved.get("status").asText()).isEqualTo("resolved");
            assertThat(resolved.get("endsAt").asText()).isEqualTo("2025-11-24T16:01:00Z");
        }
    }

    @Test
    void failuresAreDeliveryExceptionsWithTheReason() throws Exception {
        try (TestWebhook hook = new TestWebhook()) {
            hook.answer(503);
            Receiver r = new WebhookReceiver("hook", URI.create(hook.url()), Duration.ofSeconds(2));
            assertThatThrownBy(() -> r.send(notification(alert("c1", AlertStatus.FIRING))))
                    .isInstanceOf(DeliveryException.class).hasMessageContaining("HTTP 503");
        }
        Receiver dead = new WebhookReceiver("dead", URI.create("http://127.0.0.1:" + FreePorts.pick() + "/x"),
                Duration.ofSeconds(2));
        assertThatThrownBy(() -> dead.send(notification(alert("c1", AlertStatus.FIRING))))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("ConnectException");
    }

    @Test
    void alertmanagerGetsApiV2AlertsFiringUntilAFewKeepalivesAheadResolvedWithTheirEnd() throws Exception {
        try (TestWebhook am = new TestWebhook("/api/v2/alerts")) {
            AlertmanagerReceiver r = new AlertmanagerReceiver("alertmanager", URI.create(am.base() + "/"),
                    Duration.ofSeconds(2), Duration.ofMinutes(1), clock);
            assertThat(r.alertsUri().toString()).isEqualTo(am.base() + "/api/v2/alerts");
            assertThat(r.keepaliveInterval()).contains(Duration.ofMinutes(1));
            r.send(notification(alert("c1", AlertStatus.FIRING), alert("c2", AlertStatus.RESOLVED)));
            JsonNode body = am.received().get(0).body();
            assertThat(body.isArray()).isTrue();
            assertThat(body.get(0).get("labels").get("chip").asText()).isEqualTo("c1");
            assertThat(body.get(0).get("startsAt").asText()).isEqualTo("2025-11-24T16:00:00Z");
            assertThat(body.get(0).get("endsAt").asText()).isEqualTo(clock.instant().plus(Duration.ofMinutes(4)).toString());
            assertThat(body.get(0).get("generatorURL").asText()).startsWith("http://alerting.test:9095/#alert=");
            assertThat(body.get(1).get("endsAt").asText()).isEqualTo("2025-11-24T16:01:00Z");
            r.keepalive(List.of(alert("c1", AlertStatus.FIRING)), "http://alerting.test:9095");
            assertThat(am.received()).hasSize(2);
            assertThat(am.received().get(1).body()).hasSize(1);
        }
    }

    @Test
    void backoffDoublesUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(b.delay(1).toMillis()).isBetween(90L, 110L);
        assertThat(b.delay(2).toMillis()).isBetween(180L, 220L);
        assertThat(b.delay(10).toMillis()).isBetween(900L, 1100L);
        assertThat(b.delay(100).toMillis()).isBetween(900L, 1100L);
    }
}
