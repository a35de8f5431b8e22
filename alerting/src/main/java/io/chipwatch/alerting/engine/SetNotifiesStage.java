package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.dedup.NotificationLog;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.group.AggregationGroup;
import io.chipwatch.alerting.group.Dispatcher;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.pipeline.Stage;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The set-notifies stage (Alertmanager's {@code SetNotifiesStage}): once a receiver took a batch, records it in the
 * {@link NotificationLog} and persists the entry, so that the dedup stage (after a restart too) knows what the
 * receiver was told. Also measures {@code chipwatch_alerting_alert_delivery_latency_seconds} for the alerts the receiver hears of
 * firing for the first time. Engine thread.
 */
record SetNotifiesStage(NotificationLog nflog, Dispatcher dispatcher, StatePersister persister,
                        AlertingMetrics metrics) implements Stage {
    @Override
    public String name() {
        return "set_notifies";
    }

    /** Records {@code sent}, delivered at {@link Batch#now()}; returns it. */
    @Override
    public Batch apply(Batch sent) {
        String receiver = sent.receiver();
        Set<String> told = nflog.get(receiver, sent.groupKey()).map(NotificationLogEntry::firing).orElse(Set.of());
        for (Alert a : sent.alerts()) {
            if (a.isFiring() && !told.contains(a.fingerprint())) {
                metrics.deliveryLatency(receiver, Duration.ofMillis(Math.max(0, sent.now() - a.receivedAt())));
            }
        }
        Set<String> inGroup = dispatcher.group(sent.groupKey()).map(AggregationGroup::fingerprints).orElse(Set.of());
        Optional<NotificationLogEntry> entry = nflog.recordDelivered(sent, inGroup, sent.now());
        persister.notificationLog(receiver, sent.groupKey(), entry);
        return sent;
    }
}
