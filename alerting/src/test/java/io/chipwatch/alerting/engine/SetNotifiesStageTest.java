package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.dedup.NotificationLog;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.group.Dispatcher;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.rules.RouteSettings;
import io.chipwatch.alerting.state.InMemoryStateStore;
import io.chipwatch.alerting.state.StateCodec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a receiver took is recorded in the notification log and the state topic (and the first page's latency is
 * measured); once it was told every resolution, the entry goes (a tombstone).
 */
class SetNotifiesStageTest {
    private final NotificationLog nflog = new NotificationLog();
    private final Dispatcher dispatcher = new Dispatcher(new RouteSettings(List.of("alertname"), Duration.ofSeconds(1),
            Duration.ofSeconds(10), Duration.ofHours(4)));
    private final InMemoryStateStore state = new InMemoryStateStore();
    private final AlertingMetrics metrics = new AlertingMetrics();
    private final SetNotifiesStage stage =
            new SetNotifiesStage(nflog, dispatcher, new StatePersister(state, metrics), metrics);

    private static Alert alert(String fp, AlertStatus status) {
        return new Alert(fp, new TreeMap<>(Map.of("alertname", "ChipDown", "entity", fp)), new TreeMap<>(), status,
                0, 0, 1L, status == AlertStatus.RESOLVED ? 2L : null, 1_000, 0, List.of(), List.of(), 0, 0, null);
    }

    private Batch sent(long at, Alert... alerts) {
        String key = dispatcher.groupKey(alerts[0].labels());
        return new Batch("webhook-1", key, Map.of("alertname", "ChipDown"), List.of(alerts), Batch.Reason.NEW, at);
    }

    @Test
    void recordsWhatTheReceiverWasToldAndPersistsIt() {
        Alert a = alert("aaaa", AlertStatus.FIRING);
        dispatcher.add(a, 0);
        Batch sent = sent(1_500, a);
        assertThat(stage.apply(sent)).isSameAs(sent);

        NotificationLogEntry entry = nflog.get("webhook-1", sent.groupKey()).orElseThrow();
        assertThat(entry.firing()).containsExactly("aaaa");
        assertThat(entry.lastSentMillis()).isEqualTo(1_500);
        byte[] stored = state.load().get(StateCodec.NFLOG + NotificationLog.key("webhook-1", sent.groupKey()));
        assertThat(StateCodec.decode(stored, NotificationLogEntry.class)).isEqualTo(entry);
        assertThat(metrics.scrape())
                .contains("chipwatch_alerting_alert_delivery_latency_seconds_count{receiver=\"webhook-1\"} 1")
                .contains("chipwatch_alerting_state_writes_total{outcome=\"success\"} 1.0");
    }

    @Test
    void theResolutionEndsTheEntryWithATombstoneAndIsNoSecondFirstPage() {
        Alert firing = alert("aaaa", AlertStatus.FIRING);
        dispatcher.add(firing, 0);
        stage.apply(sent(1_500, firing));
        stage.apply(sent(9_000, alert("aaaa", AlertStatus.RESOLVED)));

        assertThat(nflog.all()).isEmpty();
        assertThat(state.size()).as("the entry was deleted from the state topic").isZero();
        assertThat(metrics.scrape()).contains("chipwatch_alerting_alert_delivery_latency_seconds_count{receiver=\"webhook-1\"} 1")
                .contains("chipwatch_alerting_state_writes_total{outcome=\"success\"} 2.0");
    }
}
