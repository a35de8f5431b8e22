package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.rules.GlobalSettings;
import io.chipwatch.alerting.silence.Silence;

import java.time.Duration;

/**
 * Forgets, every minute, what is no longer needed, and deletes it from the state topic: resolved alerts an hour
 * after their end (kept that long to recognise replayed events) unless a group still holds them, history entries
 * beyond {@code resolved_retention} or {@code history_limit}, silences expired longer than {@code resolved_retention}.
 * Engine thread.
 */
final class Housekeeping {
    static final Duration EVERY = Duration.ofMinutes(1);
    /** Resolved alerts are remembered (for dedup of replayed events) this long after they end. */
    static final Duration RESOLVED_ALERT_KEPT = Duration.ofHours(1);

    private final EngineState s;
    private final StatePersister persister;
    private long next;

    /** The first run is {@link #EVERY} after {@code startMillis}. */
    Housekeeping(EngineState state, StatePersister persister, long startMillis) {
        this.s = state;
        this.persister = persister;
        this.next = startMillis + EVERY.toMillis();
    }

    void runIfDue(long now) {
        if (now < next) {
            return;
        }
        GlobalSettings global = s.rules().global();
        for (Alert gone : s.alerts().pruneResolved(now - RESOLVED_ALERT_KEPT.toMillis(),
                a -> s.dispatcher().groupOf(a.fingerprint()).isPresent())) {
            persister.forgetAlert(gone.fingerprint());
        }
        for (String key : s.history().prune(now, global.resolvedRetention(), global.historyLimit())) {
            persister.forgetResolved(key);
        }
        for (Silence gone : s.silences().prune(global.resolvedRetention())) {
            persister.forgetSilence(gone.id());
        }
        next = now + EVERY.toMillis();
    }
}
