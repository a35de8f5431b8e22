package io.chipwatch.alerting.pipeline;

import io.chipwatch.alerting.ack.AckStage;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.dedup.AlertStore;
import io.chipwatch.alerting.dedup.DedupStage;
import io.chipwatch.alerting.dedup.IngestResult;
import io.chipwatch.alerting.dedup.NotificationLog;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.group.AggregationGroup;
import io.chipwatch.alerting.group.Dispatcher;
import io.chipwatch.alerting.history.ResolvedHistory;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.inhibit.InhibitStage;
import io.chipwatch.alerting.inhibit.Inhibitor;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.Notification;
import io.chipwatch.alerting.notify.Receiver;
import io.chipwatch.alerting.rules.AlertFactory;
import io.chipwatch.alerting.rules.RuleSet;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.alerting.silence.SilenceStage;
import io.chipwatch.alerting.silence.SilenceStore;
import io.chipwatch.alerting.state.StateCodec;
import io.chipwatch.alerting.state.StateStore;
import io.chipwatch.model.anomaly.Anomaly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heart of the service. One thread owns all alert state (alerts, groups, notification log, silences, history)
 * and runs the stages; everything else (the Kafka consumer, the API, delivery callbacks) hands it work.
 *
 * <pre>
 *   anomalies ─▶ AlertStore (dedup, for) ─▶ Dispatcher (group_by, group_wait/interval)
 *            ─▶ per receiver: inhibit ─▶ silence ─▶ dedup (notification log, repeat) ─▶ ack ─▶ Delivery (retries)
 * </pre>
 *
 * Every change is written to the {@link StateStore} (the compacted state topic); {@link #ingest} completes only
 * once the changes it made are durable, so the consumer commits its offsets after the state. A delivery is
 * recorded in the notification log (and persisted) when the receiver took it, so a restart neither loses an alert
 * nor pages twice.
 *
 * <p>Timing is driven by {@link #tick()}: on a schedule in the service, by hand in tests (with an injected clock).
 */
public final class AlertEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);
    /** Resolved alerts are remembered (for dedup of replayed events) this long after they end. */
    private static final Duration RESOLVED_ALERT_KEPT = Duration.ofHours(1);

    private final RuleSet rules;
    private final Clock clock;
    private final StateStore state;
    private final Delivery delivery;
    private final AlertEventSink events;
    private final AlertingMetrics metrics;
    private final String externalUrl;

    private final AlertStore alerts;
    private final SilenceStore silences;
    private final NotificationLog nflog = new NotificationLog();
    private final Dispatcher dispatcher;
    private final Inhibitor inhibitor;
    private final NotificationPipeline pipeline;
    private final ResolvedHistory history = new ResolvedHistory();

    /** receiver/groupKey of deliveries under way, and of those a flush came for meanwhile. */
    private final Set<String> inFlight = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Long> nextKeepalive = new HashMap<>();
    private long nextHousekeeping;
    private long nextGauges;
    private boolean dispatchEnabled;

    private final ScheduledExecutorService loop;
    private final AtomicLong pendingGauge;
    private final AtomicLong firingGauge;
    private final AtomicLong resolvedGauge;
    private final AtomicLong silencesGauge;
    private final AtomicLong groupsGauge;

    public AlertEngine(RuleSet rules, Clock clock, StateStore state, Delivery delivery, AlertEventSink events,
                       AlertingMetrics metrics, String externalUrl) {
        this.rules = rules;
        this.clock = clock;
        this.state = state;
        this.delivery = delivery;
        this.events = events;
        this.metrics = metrics;
        this.externalUrl = externalUrl;
        this.alerts = new AlertStore(new AlertFactory(rules), clock);
        this.silences = new SilenceStore(clock);
        this.dispatcher = new Dispatcher(rules.route());
        this.inhibitor = new Inhibitor(rules.inhibitRules(), alerts::firing);
        this.pipeline = new NotificationPipeline(List.of(new InhibitStage(inhibitor), new SilenceStage(silences),
                new DedupStage(nflog, rules.route().repeatInterval()), new AckStage()));
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alerting-engine");
            t.setDaemon(true);
            return t;
        });
        this.pendingGauge = metrics.gauge("alerts", "Alerts by status", "status", "pending");
        this.firingGauge = metrics.gauge("alerts", "Alerts by status", "status", "firing");
        this.resolvedGauge = metrics.gauge("alerts", "Alerts by status", "status", "resolved");
        this.silencesGauge = metrics.gauge("silences.active", "Active silences");
        this.groupsGauge = metrics.gauge("alert.groups", "Aggregation groups");
        this.nextHousekeeping = clock.millis() + HOUSEKEEPING_EVERY.toMillis();
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Puts back what the state topic held: alerts (firing ones regrouped, first flush after group_wait), the
     * notification log, silences, history. Call before {@link #start}.
     */
    public void restore(StateCodec.Restored restored) {
        call(() -> {
            long now = clock.millis();
            Set<String> receiverNames = new HashSet<>();
            delivery.receivers().forEach(r -> receiverNames.add(r.name()));
            restored.notificationLog().forEach(nflog::restore);
            for (NotificationLogEntry gone : nflog.ofUnknownReceivers(receiverNames)) {
                LOG.info("forgetting the notification log of receiver {} (no longer configured)", gone.receiver());
                nflog.remove(gone.receiver(), gone.groupKey());
                persist(StateCodec.NFLOG + NotificationLog.key(gone.receiver(), gone.groupKey()), null);
            }
            for (Alert a : restored.alerts()) {
                alerts.restore(a);
                String key = dispatcher.groupKey(a.labels());
                if (a.isFiring() || (a.isResolved() && nflog.awaitsResolution(key, a.fingerprint()))) {
                    dispatcher.add(a, now);
                }
            }
            restored.silences().forEach(silences::restore);
            restored.history().forEach(history::restore);
            inhibitor.invalidate();
            updateGauges();
            LOG.info("restored {} alert(s) ({} firing), {} notification log entr(ies), {} silence(s), {} resolved in "
                            + "history", alerts.size(), alerts.withStatus(AlertStatus.FIRING).size(),
                    nflog.all().size(), silences.all().size(), history.size());
            return null;
        });
    }

    /** Starts ticking every {@code tick}. */
    public void start(Duration tick) {
        loop.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("alert engine tick failed", e);
            }
        }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Allows notifications. Held back at start until the consumer has caught up with the anomalies published
     * while the service was down, so that a problem that opened and closed meanwhile does not page.
     */
    public void enableDispatch() {
        loop.execute(() -> {
            if (!dispatchEnabled) {
                dispatchEnabled = true;
                LOG.info("dispatch enabled: {} group(s) waiting", dispatcher.groups().size());
            }
        });
    }

    @Override
    public void close() {
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------- inputs

    /**
     * Applies anomaly events; the future completes once every state change they caused is durable (then the
     * consumer may commit), or fails when the state could not be written (then it must not commit).
     */
    public CompletableFuture<Void> ingest(List<Anomaly> anomalies) {
        CompletableFuture<CompletableFuture<Void>> applied = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    List<CompletableFuture<Void>> writes = new ArrayList<>();
                    for (Anomaly a : anomalies) {
                        writes.addAll(apply(a));
                    }
                    applied.complete(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
                } catch (RuntimeException e) {
                    applied.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            applied.completeExceptionally(e);
        }
        return applied.thenCompose(f -> f);
    }

    private List<CompletableFuture<Void>> apply(Anomaly anomaly) {
        IngestResult r = alerts.apply(anomaly);
        metrics.anomaly(r.outcome().label());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        if (!r.changed()) {
            if (r.outcome() == IngestResult.Outcome.UNMATCHED) {
                LOG.info("close of anomaly {} matches no open alert (opened before this service's state?): ignored",
                        anomaly.id());
            }
            return writes;
        }
        Alert after = r.after();
        writes.add(persistAlert(after));
        long now = clock.millis();
        switch (r.outcome()) {
            case FIRING -> firing(after, now);
            case RESOLVED -> {
                inhibitor.invalidate();
                if (after.hasFired()) {
                    events.record(after, "resolved", after.endsAt());
                    String key = history.add(after);
                    writes.add(persist(StateCodec.RESOLVED + key, StateCodec.encode(after)));
                    LOG.info("alert {} {} resolved", after.alertname(), after.labels().get("entity"));
                }
            }
            default -> {
            }
        }
        return writes;
    }

    private void firing(Alert alert, long now) {
        inhibitor.invalidate();
        dispatcher.add(alert, now);
        events.record(alert, "firing", alert.firingAt() != null ? alert.firingAt() : now);
        LOG.info("alert {} {} firing ({})", alert.alertname(), alert.labels().get("entity"), alert.fingerprint());
    }

    // ---------------------------------------------------------------------------------------------- time

    /** Runs one {@link #tick} on the engine thread and waits for it: how tests move time on. */
    public void tickNow() {
        call(() -> {
            tick();
            return null;
        });
    }

    /** One step of time: pending alerts whose {@code for} elapsed fire, due groups flush, keepalives, housekeeping. */
    private void tick() {
        long now = clock.millis();
        for (Alert a : alerts.promote()) {
            persistAlert(a);
            firing(a, now);
        }
        if (dispatchEnabled) {
            for (AggregationGroup g : dispatcher.due(now)) {
                flush(g, now);
            }
            keepalives(now);
        }
        if (now >= nextHousekeeping) {
            housekeeping(now);
            nextHousekeeping = now + HOUSEKEEPING_EVERY.toMillis();
        }
        if (now >= nextGauges) {
            updateGauges();
            nextGauges = now + 1000;
        }
    }

    private void flush(AggregationGroup group, long now) {
        dispatcher.flushed(group, now);
        for (Receiver r : delivery.receivers()) {
            String key = NotificationLog.key(r.name(), group.key());
            if (inFlight.contains(key)) {
                dirty.add(key);
            } else {
                runPipeline(r.name(), group, now);
            }
        }
        prune(group);
    }

    private Optional<Batch> compute(String receiver, AggregationGroup group, long now) {
        List<Alert> current = new ArrayList<>();
        for (String fp : group.fingerprints()) {
            alerts.get(fp).filter(a -> a.isFiring() || a.isResolved()).ifPresent(current::add);
        }
        current.sort(Comparator.comparing(Alert::startsAt).thenComparing(Alert::fingerprint));
        Batch batch = new Batch(receiver, group.key(), group.labels(), current, null, now);
        NotificationPipeline.Result result = pipeline.run(batch);
        return result.toSend();
    }

    private void runPipeline(String receiver, AggregationGroup group, long now) {
        Optional<Batch> toSend = compute(receiver, group, now);
        if (toSend.isEmpty()) {
            return;
        }
        Batch b = toSend.get();
        String key = NotificationLog.key(receiver, group.key());
        String groupKey = group.key();
        inFlight.add(key);
        LOG.info("notifying {} of group {}: {} ({} firing, {} resolved)", receiver, groupKey, b.reason(),
                b.firing().size(), b.resolved().size());
        delivery.submit(new Delivery.Task(receiver, Notification.of(b, externalUrl),
                () -> callAsync(() -> dispatcher.group(groupKey)
                        .flatMap(g -> compute(receiver, g, clock.millis()))
                        .map(x -> Notification.of(x, externalUrl))),
                delivered -> onLoop(() -> {
                    delivered(receiver, groupKey, delivered);
                    return null;
                }),
                reason -> onLoop(() -> {
                    finished(receiver, groupKey);
                    return null;
                })));
    }

    private void delivered(String receiver, String groupKey, Notification n) {
        long now = clock.millis();
        Set<String> told = nflog.get(receiver, groupKey).map(NotificationLogEntry::firing).orElse(Set.of());
        for (Alert a : n.alerts()) {
            if (a.isFiring() && !told.contains(a.fingerprint())) {
                metrics.deliveryLatency(receiver, Duration.ofMillis(Math.max(0, now - a.receivedAt())));
            }
        }
        Set<String> inGroup = dispatcher.group(groupKey).map(AggregationGroup::fingerprints).orElse(Set.of());
        Batch sent = new Batch(receiver, groupKey, n.groupLabels(), n.alerts(), n.reason(), now);
        Optional<NotificationLogEntry> entry = nflog.recordDelivered(sent, inGroup, now);
        persist(StateCodec.NFLOG + NotificationLog.key(receiver, groupKey), entry.map(StateCodec::encode).orElse(null));
        finished(receiver, groupKey);
    }

    private void finished(String receiver, String groupKey) {
        String key = NotificationLog.key(receiver, groupKey);
        inFlight.remove(key);
        Optional<AggregationGroup> group = dispatcher.group(groupKey);
        if (group.isEmpty()) {
            dirty.remove(key);
            return;
        }
        if (dirty.remove(key) && dispatchEnabled) {
            runPipeline(receiver, group.get(), clock.millis());
        }
        prune(group.get());
    }

    /** Drops resolved alerts no receiver still has to hear about; a group without alerts goes. */
    private void prune(AggregationGroup group) {
        for (Receiver r : delivery.receivers()) {
            if (inFlight.contains(NotificationLog.key(r.name(), group.key()))) {
                return;
            }
        }
        for (String fp : List.copyOf(group.fingerprints())) {
            Optional<Alert> a = alerts.get(fp);
            if (a.isEmpty() || (!a.get().isFiring() && !nflog.awaitsResolution(group.key(), fp))) {
                dispatcher.remove(fp);
            }
        }
    }

    private void keepalives(long now) {
        for (Receiver r : delivery.receivers()) {
            Optional<Duration> every = r.keepaliveInterval();
            if (every.isEmpty()) {
                continue;
            }
            long due = nextKeepalive.computeIfAbsent(r.name(), k -> now + every.get().toMillis());
            if (now < due) {
                continue;
            }
            nextKeepalive.put(r.name(), now + every.get().toMillis());
            List<Alert> firing = nflog.firingFor(r.name()).stream().map(alerts::get).flatMap(Optional::stream)
                    .filter(Alert::isFiring).toList();
            if (!firing.isEmpty()) {
                delivery.keepalive(r, firing, externalUrl);
            }
        }
    }

    private void housekeeping(long now) {
        for (Alert gone : alerts.pruneResolved(now - RESOLVED_ALERT_KEPT.toMillis(),
                a -> dispatcher.groupOf(a.fingerprint()).isPresent())) {
            persist(StateCodec.ALERT + gone.fingerprint(), null);
        }
        for (String key : history.prune(now, rules.global().resolvedRetention(), rules.global().historyLimit())) {
            persist(StateCodec.RESOLVED + key, null);
        }
        for (Silence s : silences.prune(rules.global().resolvedRetention())) {
            persist(StateCodec.SILENCE + s.id(), null);
        }
    }

    private void updateGauges() {
        long pending = 0;
        long firing = 0;
        long resolved = 0;
        for (Alert a : alerts.all()) {
            switch (a.status()) {
                case PENDING -> pending++;
                case FIRING -> firing++;
                default -> resolved++;
            }
        }
        pendingGauge.set(pending);
        firingGauge.set(firing);
        resolvedGauge.set(resolved);
        long now = clock.millis();
        silencesGauge.set(silences.all().stream().filter(s -> s.isActive(now)).count());
        groupsGauge.set(dispatcher.groups().size());
    }

    // ---------------------------------------------------------------------------------------------- persistence

    private CompletableFuture<Void> persistAlert(Alert alert) {
        return persist(StateCodec.ALERT + alert.fingerprint(), StateCodec.encode(alert));
    }

    private CompletableFuture<Void> persist(String key, byte[] value) {
        CompletableFuture<Void> f = state.write(key, value);
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

    // ---------------------------------------------------------------------------------------------- queries and commands (API)

    /** An alert with what mutes it, as the API shows it. */
    public record AlertInfo(Alert alert, List<String> silencedBy, List<String> inhibitedBy) {
    }

    /** Firing alerts (and, with {@code includePending}, pending ones), most severe and oldest first. */
    public List<AlertInfo> activeAlerts(boolean includePending) {
        return call(() -> alerts.all().stream()
                .filter(a -> a.isFiring() || (includePending && a.status() == AlertStatus.PENDING))
                .sorted(Comparator.comparing((Alert a) -> severityRank(a.severity())).thenComparing(Alert::startsAt))
                .map(this::info).toList());
    }

    public Optional<AlertInfo> alert(String fingerprint) {
        return call(() -> alerts.get(fingerprint).map(this::info));
    }

    private AlertInfo info(Alert a) {
        return new AlertInfo(a, a.isFiring() ? silences.silencedBy(a.labels()) : List.of(),
                a.isFiring() ? inhibitor.inhibitedBy(a) : List.of());
    }

    private static int severityRank(String severity) {
        return switch (severity) {
            case "critical" -> 0;
            case "warning" -> 1;
            case "info" -> 2;
            default -> 3;
        };
    }

    /**
     * Acknowledges an alert: no more repeat pages for it; recorded in InfluxDB.
     *
     * @throws java.util.NoSuchElementException when there is no such alert
     * @throws IllegalStateException            when it has resolved
     */
    public Alert acknowledge(String fingerprint, String by, String comment) {
        return call(() -> {
            Alert acked = alerts.acknowledge(fingerprint, by, comment);
            persistAlert(acked);
            events.record(acked, "acknowledged", acked.acknowledgement().atMillis());
            LOG.info("alert {} {} acknowledged by {}", acked.alertname(), acked.labels().get("entity"), by);
            return acked;
        });
    }

    public Alert unacknowledge(String fingerprint) {
        return call(() -> {
            Alert a = alerts.unacknowledge(fingerprint);
            persistAlert(a);
            return a;
        });
    }

    /** Creates a silence (see {@link SilenceStore#create}). */
    public Silence createSilence(List<Matcher> matchers, Long startsAt, long endsAt, String createdBy,
                                 String comment) {
        return call(() -> {
            Silence s = silences.create(matchers, startsAt, endsAt, createdBy, comment);
            persist(StateCodec.SILENCE + s.id(), StateCodec.encode(s));
            LOG.info("silence {} created by {} until {}: {}", s.id(), s.createdBy(),
                    java.time.Instant.ofEpochMilli(s.endsAt()), s.matchers());
            return s;
        });
    }

    public Optional<Silence> expireSilence(String id) {
        return call(() -> {
            Optional<Silence> s = silences.expire(id);
            s.ifPresent(x -> persist(StateCodec.SILENCE + x.id(), StateCodec.encode(x)));
            return s;
        });
    }

    public List<Silence> silences() {
        return call(silences::all);
    }

    public Optional<Silence> silence(String id) {
        return call(() -> silences.get(id));
    }

    /** Resolved alerts, newest first. */
    public List<Alert> resolvedHistory(int limit) {
        return call(() -> history.list(limit));
    }

    /** Counts for the status API. */
    public record Summary(int pending, int firing, int resolved, int groups, int silencesActive, boolean dispatching,
                          int deliveriesInFlight) {
    }

    public Summary summary() {
        return call(() -> {
            long now = clock.millis();
            return new Summary(alerts.withStatus(AlertStatus.PENDING).size(),
                    alerts.withStatus(AlertStatus.FIRING).size(), history.size(), dispatcher.groups().size(),
                    (int) silences.all().stream().filter(s -> s.isActive(now)).count(), dispatchEnabled,
                    inFlight.size());
        });
    }

    // ---------------------------------------------------------------------------------------------- threading

    /** Runs {@code task} on the engine thread and waits for it (10 s at most). */
    public <T> T call(Callable<T> task) {
        try {
            return callAsync(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the alert engine is busy (no answer within 10 s)", e);
        }
    }

    private <T> CompletableFuture<T> callAsync(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private void onLoop(Callable<Void> task) {
        try {
            loop.execute(() -> {
                try {
                    task.call();
                } catch (Exception e) {
                    LOG.error("alert engine task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("engine stopped; task dropped");
        }
    }

    /** For tests: waits until the engine thread has done everything handed to it so far. */
    public void sync() {
        call(() -> null);
    }

    /** For tests: whether a delivery is under way. */
    public boolean idle() {
        return call(inFlight::isEmpty);
    }
}
