package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertNotFoundException;
import io.chipwatch.alerting.alert.AlertResolvedException;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.history.ResolvedHistory;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.silence.InvalidSilenceException;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.alerting.silence.SilenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the API asks of and tells the engine: queries (alerts, silences, history, counts) and commands
 * (acknowledge, silence), each run on the {@link EngineLoop} and waited for. Commands persist their change.
 *
 * <p>Every method may throw {@link EngineBusyException} (the engine did not answer within 10 s: retry later); the
 * commands name their other failures: {@link AlertNotFoundException}, {@link AlertResolvedException},
 * {@link InvalidSilenceException}.
 */
public final class EngineFacade {
    private static final Logger LOG = LoggerFactory.getLogger(EngineFacade.class);

    private final EngineLoop loop;
    private final EngineState s;
    private final StatePersister persister;
    private final AlertEventSink events;
    private final GroupNotifier notifier;
    private volatile Runnable changed = () -> { };

    EngineFacade(EngineLoop loop, EngineState state, StatePersister persister, AlertEventSink events,
                 GroupNotifier notifier) {
        this.loop = loop;
        this.s = state;
        this.persister = persister;
        this.events = events;
        this.notifier = notifier;
    }

    /**
     * Called (on the engine thread, after the change) whenever a silence or an acknowledgement changes through a
     * command, so that the Alertmanager sync runs soon rather than at its next poll; must not block.
     */
    public void onSilenceOrAckChange(Runnable listener) {
        this.changed = listener;
    }

    // ---------------------------------------------------------------------------------------------- queries

    /** Firing alerts (and, with {@code includePending}, pending ones), most severe and oldest first. */
    public List<AlertInfo> activeAlerts(boolean includePending) {
        return loop.call(() -> s.alerts().all().stream()
                .filter(a -> a.isFiring() || (includePending && a.status() == AlertStatus.PENDING))
                .sorted(Comparator.comparing((Alert a) -> severityRank(a.severity())).thenComparing(Alert::startsAt))
                .map(this::info).toList());
    }

    public Optional<AlertInfo> alert(String fingerprint) {
        return loop.call(() -> s.alerts().get(fingerprint).map(this::info));
    }

    private AlertInfo info(Alert a) {
        return new AlertInfo(a, a.isFiring() ? s.silences().silencedBy(a.labels()) : List.of(),
                a.isFiring() ? s.inhibitor().inhibitedBy(a) : List.of());
    }

    private static int severityRank(String severity) {
        return switch (severity) {
            case "critical" -> 0;
            case "warning" -> 1;
            case "info" -> 2;
            default -> 3;
        };
    }

    public List<Silence> silences() {
        return loop.call(s.silences()::all);
    }

    public Optional<Silence> silence(String id) {
        return loop.call(() -> s.silences().get(id));
    }

    /** Resolved alerts, newest first. */
    public List<Alert> resolvedHistory(int limit) {
        return loop.call(() -> s.history().list(limit));
    }

    /** A page of the resolved alerts of one alert name (all when null), newest first. */
    public List<Alert> resolvedHistory(String alertname, int offset, int limit) {
        return loop.call(() -> s.history().list(alertname, offset, limit));
    }

    /** The resolved history grouped by alert name, with counts; the group with the latest end first. */
    public List<ResolvedHistory.Group> resolvedGroups() {
        return loop.call(() -> s.history().groups());
    }

    /** Counts for the status API. */
    public record Summary(int pending, int firing, int resolved, int groups, int silencesActive, boolean dispatching,
                          int deliveriesInFlight) {
    }

    public Summary summary() {
        return loop.call(() -> new Summary(s.alerts().withStatus(AlertStatus.PENDING).size(),
                s.alerts().withStatus(AlertStatus.FIRING).size(), s.history().size(),
                s.dispatcher().groups().size(), s.activeSilences(s.clock().millis()), notifier.enabled(),
                notifier.inFlight()));
    }

    // ---------------------------------------------------------------------------------------------- commands

    /**
     * Acknowledges an alert: no more repeat pages for it; recorded in InfluxDB.
     *
     * @throws AlertNotFoundException when there is no such alert
     * @throws AlertResolvedException when it has resolved
     */
    public Alert acknowledge(String fingerprint, String by, String comment) {
        return loop.call(() -> {
            Alert acked = s.alerts().acknowledge(fingerprint, by, comment);
            persister.alert(acked);
            events.record(acked, "acknowledged", acked.acknowledgement().atMillis());
            LOG.info("alert {} {} acknowledged by {}", acked.alertname(), acked.labels().get("entity"), by);
            changed.run();
            return acked;
        });
    }

    /**
     * Takes an acknowledgement back.
     *
     * @throws AlertNotFoundException when there is no such alert
     */
    public Alert unacknowledge(String fingerprint) {
        return loop.call(() -> {
            Alert a = s.alerts().unacknowledge(fingerprint);
            persister.alert(a);
            changed.run();
            return a;
        });
    }

    /**
     * Creates a silence (see {@link SilenceStore#create}).
     *
     * @throws InvalidSilenceException when it is invalid
     */
    public Silence createSilence(List<Matcher> matchers, Long startsAt, long endsAt, String createdBy,
                                 String comment) {
        return loop.call(() -> {
            Silence created = s.silences().create(matchers, startsAt, endsAt, createdBy, comment);
            persister.silence(created);
            LOG.info("silence {} created by {} until {}: {}", created.id(), created.createdBy(),
                    Instant.ofEpochMilli(created.endsAt()), created.matchers());
            changed.run();
            return created;
        });
    }

    /** Expires a silence now; empty when there is no such silence. */
    public Optional<Silence> expireSilence(String id) {
        return loop.call(() -> {
            Optional<Silence> expired = s.silences().expire(id);
            expired.ifPresent(persister::silence);
            expired.ifPresent(e -> changed.run());
            return expired;
        });
    }

    // ---------------------------------------------------------------------------------------------- Alertmanager

    /**
     * What the Alertmanager sync compares with Alertmanager's silences: every silence (expired ones too, until
     * housekeeping forgets them) and the firing alerts that are acknowledged.
     */
    public record SyncView(List<Silence> silences, List<Alert> acknowledged) {
        public SyncView {
            silences = List.copyOf(silences);
            acknowledged = List.copyOf(acknowledged);
        }
    }

    public SyncView syncView() {
        return loop.call(() -> new SyncView(s.silences().all(), s.alerts().all().stream()
                .filter(a -> a.isFiring() && a.isAcknowledged()).toList()));
    }

    /**
     * Records the id in Alertmanager of silence {@code id} (nothing else of it changes: an expiry made meanwhile
     * stays); persisted. Does not call the change listener.
     */
    public void recordAlertmanagerId(String id, String alertmanagerId) {
        loop.call(() -> {
            s.silences().get(id).ifPresent(current -> store(current.withAlertmanagerId(alertmanagerId)));
            return null;
        });
    }

    /** Moves the end of silence {@code id} to {@code endsAt}, unless it has expired meanwhile; persisted. */
    public void moveSilenceEnd(String id, long endsAt) {
        loop.call(() -> {
            long now = s.clock().millis();
            s.silences().get(id).filter(current -> current.state(now) != Silence.State.EXPIRED)
                    .ifPresent(current -> store(current.withEnd(endsAt, now)));
            return null;
        });
    }

    /**
     * Imports (or updates) a silence made in Alertmanager, unless its copy here was expired meanwhile (the sync then
     * expires the original); persisted. Does not call the change listener.
     */
    public void importSilence(Silence imported) {
        loop.call(() -> {
            long now = s.clock().millis();
            Optional<Silence> current = s.silences().get(imported.id());
            if (current.isEmpty() || current.get().state(now) != Silence.State.EXPIRED) {
                store(imported);
            }
            return null;
        });
    }

    /**
     * Takes back the acknowledgement of alert {@code fingerprint} made at {@code ackMillis}, if it still holds that
     * one (not one made since).
     *
     * @return whether it did
     */
    public boolean unacknowledge(String fingerprint, long ackMillis) {
        return loop.call(() -> {
            Optional<Alert> a = s.alerts().get(fingerprint);
            if (a.isEmpty() || a.get().acknowledgement() == null
                    || a.get().acknowledgement().atMillis() != ackMillis) {
                return false;
            }
            persister.alert(s.alerts().unacknowledge(fingerprint));
            return true;
        });
    }

    private void store(Silence silence) {
        s.silences().restore(silence);
        persister.silence(silence);
    }
}
