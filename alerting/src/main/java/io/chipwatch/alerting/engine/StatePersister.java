package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.dedup.NotificationLog;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.alerting.state.StateCodec;
import io.chipwatch.alerting.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Writes the engine's changes to the compacted state topic under the {@link StateCodec} keys ({@code alert/},
 * {@code nflog/}, {@code silence/}, {@code resolved/}); a record that is no longer needed becomes a tombstone.
 * Every write is counted in {@code chipwatch_alerting_state_writes_total{outcome}}, a failed one is logged. The futures complete once
 * Kafka acknowledged the write.
 */
final class StatePersister {
    private static final Logger LOG = LoggerFactory.getLogger(StatePersister.class);

    private final StateStore store;
    private final AlertingMetrics metrics;

    StatePersister(StateStore store, AlertingMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    CompletableFuture<Void> alert(Alert alert) {
        return write(StateCodec.ALERT + alert.fingerprint(), StateCodec.encode(alert));
    }

    void forgetAlert(String fingerprint) {
        write(StateCodec.ALERT + fingerprint, null);
    }

    /** The receiver's entry for the group, or a tombstone when it has none left. */
    void notificationLog(String receiver, String groupKey, Optional<NotificationLogEntry> entry) {
        write(StateCodec.NFLOG + NotificationLog.key(receiver, groupKey), entry.map(StateCodec::encode).orElse(null));
    }

    void silence(Silence silence) {
        write(StateCodec.SILENCE + silence.id(), StateCodec.encode(silence));
    }

    void forgetSilence(String id) {
        write(StateCodec.SILENCE + id, null);
    }

    /** A resolved-history entry under its {@code ResolvedHistory} key. */
    CompletableFuture<Void> resolved(String key, Alert alert) {
        return write(StateCodec.RESOLVED + key, StateCodec.encode(alert));
    }

    void forgetResolved(String key) {
        write(StateCodec.RESOLVED + key, null);
    }

    private CompletableFuture<Void> write(String key, byte[] value) {
        CompletableFuture<Void> f = store.write(key, value);
        f.whenComplete((ok, error) -> {
            if (error != null) {
                metrics.stateWrite("failure");
                LOG.error("cannot write {} to the state topic: {}", key, error.toString());
            } else {
                metrics.stateWrite("success");
            }
        });
        return f;
    }
}
