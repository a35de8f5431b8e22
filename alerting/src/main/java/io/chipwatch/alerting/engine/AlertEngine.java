package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.rules.RuleSet;
import io.chipwatch.alerting.state.StateCodec;
import io.chipwatch.alerting.state.StateStore;
import io.chipwatch.model.anomaly.Anomaly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The heart of the service, put together from its parts: one thread ({@link EngineLoop}) owns all alert state
 * ({@link EngineState}); the Kafka consumer, the API ({@link #facade()}) and delivery callbacks hand it work.
 *
 * <pre>
 *   anomalies ─▶ AlertTransitions (AlertStore: dedup, for) ─▶ Dispatcher (group_by, group_wait/interval)
 *            ─▶ GroupNotifier, per receiver: record-only ─▶ inhibit ─▶ silence ─▶ dedup ─▶ ack ─▶ retry ─ ─▶ set-notifies
 *   tick ─▶ promote pending alerts, flush due groups, Keepalives, Housekeeping, EngineGauges
 * </pre>
 *
 * Every change is written by the {@link StatePersister} to the compacted state topic; {@link #ingest} completes
 * only once the changes it made are durable, so the consumer commits its offsets after the state. A delivery is
 * recorded in the notification log (and persisted) when the receiver took it, so a restart neither loses an alert
 * nor pages twice.
 *
 * <p>Timing is driven by the tick: on a schedule in the service ({@link #start}), by hand in tests
 * ({@link #tickNow}, with an injected clock).
 */
public final class AlertEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

    private final EngineLoop loop = new EngineLoop();
    private final EngineState s;
    private final Delivery delivery;
    private final StatePersister persister;
    private final AlertTransitions transitions;
    private final GroupNotifier notifier;
    private final Keepalives keepalives;
    private final Housekeeping housekeeping;
    private final EngineGauges gauges;
    private final EngineFacade facade;

    public AlertEngine(RuleSet rules, Clock clock, StateStore state, Delivery delivery, AlertEventSink events,
                       AlertingMetrics metrics, String externalUrl) {
        this.s = EngineState.create(rules, clock);
        this.delivery = delivery;
        this.persister = new StatePersister(state, metrics);
        this.transitions = new AlertTransitions(s, persister, events, metrics);
        this.notifier = new GroupNotifier(s, delivery, loop, persister, metrics, externalUrl);
        this.keepalives = new Keepalives(s, delivery, externalUrl);
        this.housekeeping = new Housekeeping(s, persister, clock.millis());
        this.gauges = new EngineGauges(s, metrics);
        this.facade = new EngineFacade(loop, s, persister, events, notifier);
    }

    /** The loop that owns the state (tests in this package's test helpers hold it busy). */
    EngineLoop loop() {
        return loop;
    }

    /** Queries and commands for the API. */
    public EngineFacade facade() {
        return facade;
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Puts back what the state topic held: alerts (firing ones regrouped, first flush after group_wait), the
     * notification log (entries of receivers no longer configured are deleted), silences, history. Call before
     * {@link #start}.
     */
    public void restore(StateCodec.Restored restored) {
        loop.call(() -> {
            long now = s.clock().millis();
            Set<String> receiverNames = new HashSet<>();
            delivery.receivers().forEach(r -> receiverNames.add(r.name()));
            restored.notificationLog().forEach(s.nflog()::restore);
            for (NotificationLogEntry gone : s.nflog().ofUnknownReceivers(receiverNames)) {
                LOG.info("forgetting the notification log of receiver {} (no longer configured)", gone.receiver());
                s.nflog().remove(gone.receiver(), gone.groupKey());
                persister.notificationLog(gone.receiver(), gone.groupKey(), Optional.empty());
            }
            for (Alert a : restored.alerts()) {
                s.alerts().restore(a);
                String key = s.dispatcher().groupKey(a.labels());
                if (a.isFiring() || (a.isResolved() && s.nflog().awaitsResolution(key, a.fingerprint()))) {
                    s.dispatcher().add(a, now);
                }
            }
            restored.silences().forEach(s.silences()::restore);
            restored.history().forEach(s.history()::restore);
            s.inhibitor().invalidate();
            gauges.update(now);
            LOG.info("restored {} alert(s) ({} firing), {} notification log entr(ies), {} silence(s), {} resolved in "
                            + "history", s.alerts().size(), s.alerts().withStatus(AlertStatus.FIRING).size(),
                    s.nflog().all().size(), s.silences().all().size(), s.history().size());
            return null;
        });
    }

    /** Starts ticking every {@code tick}. */
    public void start(Duration tick) {
        loop.every(tick, this::tick);
    }

    /**
     * Allows notifications. Held back at start until the consumer has caught up with the anomalies published
     * while the service was down, so that a problem that opened and closed meanwhile does not page.
     */
    public void enableDispatch() {
        loop.post(notifier::enable);
    }

    @Override
    public void close() {
        loop.close();
    }

    // ---------------------------------------------------------------------------------------------- inputs

    /**
     * Applies anomaly events; the future completes once every state change they caused is durable (then the
     * consumer may commit), or fails when the state could not be written (then it must not commit).
     */
    public CompletableFuture<Void> ingest(List<Anomaly> anomalies) {
        return loop.submit(() -> {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (Anomaly a : anomalies) {
                writes.addAll(transitions.apply(a));
            }
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        }).thenCompose(f -> f);
    }

    /**
     * Re-sends every keepalive receiver's firing alerts and the Watchdog at the next tick instead of at the end of
     * its interval: for an Alertmanager that has just restarted and so forgot every alert it was told. Any thread.
     */
    public void resendKeepalives() {
        loop.submit(() -> {
            keepalives.resendAll();
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------- time

    /** Runs one tick on the engine thread and waits for it: how tests move time on. */
    public void tickNow() {
        loop.call(() -> {
            tick();
            return null;
        });
    }

    /** One step of time: pending alerts whose {@code for} elapsed fire, due groups flush, keepalives, housekeeping. */
    private void tick() {
        long now = s.clock().millis();
        transitions.promoteDue(now);
        if (notifier.enabled()) {
            notifier.flushDue(now);
            keepalives.sendDue(now);
        }
        housekeeping.runIfDue(now);
        gauges.updateIfDue(now);
    }

    // ---------------------------------------------------------------------------------------------- for tests

    /** Waits until the engine thread has done everything handed to it so far. */
    public void sync() {
        loop.call(() -> null);
    }

    /** Whether no delivery is under way. */
    public boolean idle() {
        return loop.call(notifier::idle);
    }
}
