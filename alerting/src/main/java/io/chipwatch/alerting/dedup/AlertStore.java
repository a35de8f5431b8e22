package io.chipwatch.alerting.dedup;

import io.chipwatch.alerting.alert.Acknowledgement;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertNotFoundException;
import io.chipwatch.alerting.alert.AlertResolvedException;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Fingerprint;
import io.chipwatch.alerting.rules.AlertFactory;
import io.chipwatch.model.anomaly.Anomaly;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * The alerts, keyed by fingerprint: where anomaly events become alert state changes, and where duplicates stop.
 *
 * <p>An open event creates the alert of its labels (pending until {@code startMillis + for}, else firing), or joins
 * an alert already open with the same labels (one problem, one alert). A close event removes its anomaly from the
 * alert; the alert resolves when its last open anomaly closes. An event whose anomaly id the alert already knows
 * (open or closed) is a duplicate and changes nothing: redelivery after a restart is harmless.
 *
 * <p>Not thread-safe (the engine's thread owns it). Time comes from the injected clock.
 */
public final class AlertStore {
    private final AlertFactory factory;
    private final Clock clock;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    /** anomaly id -> fingerprint, for every id an alert remembers (open or closed). */
    private final Map<String, String> byAnomalyId = new HashMap<>();

    public AlertStore(AlertFactory factory, Clock clock) {
        this.factory = factory;
        this.clock = clock;
    }

    public AlertFactory factory() {
        return factory;
    }

    /** Applies one anomaly event. */
    public IngestResult apply(Anomaly anomaly) {
        return anomaly.isOpen() ? open(anomaly) : close(anomaly);
    }

    private IngestResult open(Anomaly a) {
        long now = clock.millis();
        String known = byAnomalyId.get(a.id());
        if (known != null) {
            Alert alert = alerts.get(known);
            if (alert != null && (alert.openAnomalyIds().contains(a.id()) || alert.closedAnomalyIds().contains(a.id()))) {
                return new IngestResult(IngestResult.Outcome.DUPLICATE, alert, null);
            }
        }
        SortedMap<String, String> labels = factory.labels(a);
        String fp = Fingerprint.of(labels);
        Alert existing = alerts.get(fp);
        if (existing != null && !existing.isResolved()) {
            List<String> open = new ArrayList<>(existing.openAnomalyIds());
            open.add(a.id());
            Alert merged = new Alert(fp, existing.labels(), existing.annotations(), existing.status(),
                    Math.min(existing.startsAt(), a.startMillis()), existing.fireAt(), existing.firingAt(), null,
                    existing.receivedAt(), now, open, existing.closedAnomalyIds(), a.value(), a.threshold(),
                    existing.acknowledgement());
            put(merged);
            return new IngestResult(IngestResult.Outcome.MERGED, existing, merged);
        }
        // A start "in the future" (another machine's clock) counts from now.
        long fireAt = Math.min(a.startMillis(), now) + factory.rule(a).forDuration().toMillis();
        boolean firing = now >= fireAt;
        Alert alert = new Alert(fp, labels, factory.annotations(a, null),
                firing ? AlertStatus.FIRING : AlertStatus.PENDING, a.startMillis(), fireAt,
                firing ? Long.valueOf(now) : null, null, now, now, List.of(a.id()),
                existing == null ? List.of() : existing.closedAnomalyIds(), a.value(), a.threshold(), null);
        put(alert);
        return new IngestResult(firing ? IngestResult.Outcome.FIRING : IngestResult.Outcome.PENDING, existing, alert);
    }

    private IngestResult close(Anomaly a) {
        long now = clock.millis();
        String fp = byAnomalyId.getOrDefault(a.id(), Fingerprint.of(factory.labels(a)));
        Alert alert = alerts.get(fp);
        if (alert == null) {
            return new IngestResult(IngestResult.Outcome.UNMATCHED, null, null);
        }
        if (alert.closedAnomalyIds().contains(a.id())) {
            return new IngestResult(IngestResult.Outcome.DUPLICATE, alert, null);
        }
        if (!alert.openAnomalyIds().contains(a.id())) {
            return new IngestResult(IngestResult.Outcome.UNMATCHED, alert, null);
        }
        List<String> open = new ArrayList<>(alert.openAnomalyIds());
        open.remove(a.id());
        List<String> closed = new ArrayList<>(alert.closedAnomalyIds());
        closed.add(a.id());
        if (!open.isEmpty()) {
            Alert still = new Alert(fp, alert.labels(), alert.annotations(), alert.status(), alert.startsAt(),
                    alert.fireAt(), alert.firingAt(), null, alert.receivedAt(), now, open, closed, alert.value(),
                    alert.threshold(), alert.acknowledgement());
            put(still);
            return new IngestResult(IngestResult.Outcome.STILL_OPEN, alert, still);
        }
        long end = a.endMillis() == null ? now : a.endMillis();
        SortedMap<String, String> annotations = factory.annotations(a, end);
        Alert resolved = new Alert(fp, alert.labels(), annotations, AlertStatus.RESOLVED, alert.startsAt(),
                alert.fireAt(), alert.firingAt(), end, alert.receivedAt(), now, open, closed, a.value(),
                a.threshold(), alert.acknowledgement());
        put(resolved);
        return new IngestResult(IngestResult.Outcome.RESOLVED, alert, resolved);
    }

    /** Pending alerts whose {@code for} has elapsed turn firing; returns them (firing). */
    public List<Alert> promote() {
        long now = clock.millis();
        List<Alert> due = new ArrayList<>();
        for (Alert a : alerts.values()) {
            if (a.status() == AlertStatus.PENDING && now >= a.fireAt()) {
                due.add(a);
            }
        }
        List<Alert> promoted = new ArrayList<>(due.size());
        for (Alert a : due) {
            Alert firing = a.withStatus(AlertStatus.FIRING, now);
            put(firing);
            promoted.add(firing);
        }
        return promoted;
    }

    /**
     * Acknowledges a firing or pending alert.
     *
     * @throws AlertNotFoundException when there is no such alert
     * @throws AlertResolvedException when it has resolved
     */
    public Alert acknowledge(String fingerprint, String by, String comment) {
        Alert a = existing(fingerprint);
        if (a.isResolved()) {
            throw new AlertResolvedException("alert " + fingerprint + " has resolved; nothing to acknowledge");
        }
        long now = clock.millis();
        Alert acked = a.withAcknowledgement(new Acknowledgement(by, now, comment), now);
        put(acked);
        return acked;
    }

    /**
     * Removes an acknowledgement; the alert is paged again at the next repeat.
     *
     * @throws AlertNotFoundException when there is no such alert
     */
    public Alert unacknowledge(String fingerprint) {
        Alert unacked = existing(fingerprint).withAcknowledgement(null, clock.millis());
        put(unacked);
        return unacked;
    }

    private Alert existing(String fingerprint) {
        Alert a = alerts.get(fingerprint);
        if (a == null) {
            throw new AlertNotFoundException(fingerprint);
        }
        return a;
    }

    public Optional<Alert> get(String fingerprint) {
        return Optional.ofNullable(alerts.get(fingerprint));
    }

    public Collection<Alert> all() {
        return alerts.values();
    }

    public List<Alert> withStatus(AlertStatus status) {
        return alerts.values().stream().filter(a -> a.status() == status).toList();
    }

    /** Firing alerts (a live view for the inhibitor; iterate on the engine thread only). */
    public Iterable<Alert> firing() {
        return () -> alerts.values().stream().filter(Alert::isFiring).iterator();
    }

    /** Puts back an alert read from the state topic. */
    public void restore(Alert alert) {
        put(alert);
    }

    /**
     * Forgets resolved alerts that ended before {@code cutoffMillis} and that nothing needs any more.
     *
     * @return the forgotten alerts (their state records are deleted)
     */
    public List<Alert> pruneResolved(long cutoffMillis, Predicate<Alert> stillNeeded) {
        List<Alert> removed = new ArrayList<>();
        for (Alert a : List.copyOf(alerts.values())) {
            if (a.isResolved() && a.endsAt() != null && a.endsAt() < cutoffMillis && !stillNeeded.test(a)) {
                remove(a.fingerprint());
                removed.add(a);
            }
        }
        return removed;
    }

    public void remove(String fingerprint) {
        Alert a = alerts.remove(fingerprint);
        if (a != null) {
            a.openAnomalyIds().forEach(id -> byAnomalyId.remove(id, fingerprint));
            a.closedAnomalyIds().forEach(id -> byAnomalyId.remove(id, fingerprint));
        }
    }

    public int size() {
        return alerts.size();
    }

    private void put(Alert alert) {
        Alert old = alerts.put(alert.fingerprint(), alert);
        if (old != null) {
            // Ids that fell off the closed list are forgotten.
            old.closedAnomalyIds().forEach(id -> byAnomalyId.remove(id, alert.fingerprint()));
        }
        alert.openAnomalyIds().forEach(id -> byAnomalyId.put(id, alert.fingerprint()));
        alert.closedAnomalyIds().forEach(id -> byAnomalyId.put(id, alert.fingerprint()));
    }
}
