package io.chipwatch.alerting.amsync;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.amsync.AlertmanagerSilences.AmSilence;
import io.chipwatch.alerting.amsync.AlertmanagerSilences.PostableSilence;
import io.chipwatch.alerting.concurrent.DaemonThreads;
import io.chipwatch.alerting.engine.EngineFacade;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.silence.Silence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps Chipwatch's silences and acknowledgements and Alertmanager's silences one set, on a thread of its own
 * ({@code alerting-am-sync}): at start, every {@code interval} (5 s) and soon after each change made through the
 * API. Alertmanager unreachable never blocks the engine and loses nothing: the round fails, is counted and logged,
 * and the next one does what is left (each round compares the whole of both sides).
 *
 * <ul>
 *   <li>A silence made in Chipwatch is created in Alertmanager, its comment tagged {@code [chipwatch silence ID]};
 *       its id there is kept ({@link Silence#alertmanagerId()}). Expired here: expired there. Expired (or ended
 *       sooner or later) there: the same here.</li>
 *   <li>A silence made in Alertmanager (amtool, its UI) is imported, same id, origin
 *       {@link Silence.Origin#ALERTMANAGER}, and mutes here like any other; expired or gone there: expired here;
 *       expired here: expired there.</li>
 *   <li>An acknowledged firing alert gets an Alertmanager silence of exactly its labels (comment
 *       {@code Acknowledged in Chipwatch by WHO[: COMMENT] [chipwatch ack FINGERPRINT@ACKMILLIS]}, created by who
 *       acknowledged), so Alertmanager's receivers are not paged again on its {@code repeat_interval} while the
 *       keepalives keep the alert alive there; it lasts {@link #ACK_SPAN} and is renewed, and is expired when the
 *       alert is unacknowledged or resolves. Expired by hand in Alertmanager: the alert is unacknowledged here.</li>
 * </ul>
 *
 * The tags are how our own silences are recognised when they come back from Alertmanager: never imported, never
 * created twice (a tagged silence found for a Chipwatch silence not yet known there is adopted, e.g. after a crash
 * between the creation and its record).
 */
public final class SilenceSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SilenceSync.class);
    /** How long an acknowledgement's silence lasts in Alertmanager; renewed when half of it is left. */
    public static final Duration ACK_SPAN = Duration.ofHours(24);
    /** An Alertmanager silence expired this close to its last update was expired by someone, not by its end. */
    private static final long EXPIRED_BY_HAND_MS = 5_000;

    private final AlertmanagerSilences alertmanager;
    private final EngineFacade engine;
    private final Clock clock;
    private final AtomicLong up;
    private final AlertingMetrics metrics;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alerting-am-sync"));
    private final AtomicBoolean nudged = new AtomicBoolean();
    private volatile String lastError;

    public SilenceSync(AlertmanagerSilences alertmanager, EngineFacade engine, AlertingMetrics metrics, Clock clock) {
        this.alertmanager = alertmanager;
        this.engine = engine;
        this.clock = clock;
        this.metrics = metrics;
        this.up = metrics.gauge("alertmanager.sync.up",
                "1 while the silence and acknowledgement sync with Alertmanager succeeds, 0 once a round failed");
    }

    /** Syncs now (reconciling whatever changed while the service was down), then every {@code interval}. */
    public void start(Duration interval) {
        engine.onSilenceOrAckChange(this::nudge);
        thread.scheduleWithFixedDelay(this::safeRound, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a round soon (coalesced); never blocks. */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    nudged.set(false);
                    safeRound();
                });
            } catch (RuntimeException e) {
                nudged.set(false); // stopping
            }
        }
    }

    private void safeRound() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.error("silence sync with Alertmanager failed unexpectedly", e);
        }
    }

    /**
     * One round: reads Alertmanager's silences and the engine's, and makes them agree. Tests call it directly.
     *
     * @return true when Alertmanager answered and every change was made
     */
    public boolean round() {
        List<AmSilence> remote;
        EngineFacade.SyncView local;
        try {
            remote = alertmanager.list();
            local = engine.syncView();
        } catch (IOException | RuntimeException e) {
            return failed("cannot read silences: " + e.getMessage());
        }
        long now = clock.millis();
        Round r = new Round(remote, now);
        for (Silence s : local.silences()) {
            if (s.origin() == Silence.Origin.CHIPWATCH) {
                r.own(s);
            } else {
                r.imported(s);
            }
        }
        r.importNew(local.silences());
        r.acknowledgements(local.acknowledged());
        if (r.failures > 0) {
            return failed(r.failures + " change(s) failed, retried at the next round: " + r.lastFailure);
        }
        metrics.alertmanagerSync("success");
        up.set(1);
        if (lastError != null) {
            LOG.info("silence sync with Alertmanager ({}) works again", alertmanager);
            lastError = null;
        }
        return true;
    }

    private boolean failed(String why) {
        metrics.alertmanagerSync("failure");
        up.set(0);
        if (!why.equals(lastError)) {
            LOG.warn("silence sync with Alertmanager ({}): {}", alertmanager, why);
        }
        lastError = why;
        return false;
    }

    /** One round's view of Alertmanager and the changes it makes. */
    private final class Round {
        private final Map<String, AmSilence> byId = new HashMap<>();
        private final Map<String, List<AmSilence>> bySilenceTag = new HashMap<>();
        private final Map<String, List<AmSilence>> byAckTag = new HashMap<>();
        private final Set<String> accountedFor = new HashSet<>();
        private final long now;
        int failures;
        String lastFailure;

        Round(List<AmSilence> remote, long now) {
            this.now = now;
            for (AmSilence a : remote) {
                byId.put(a.id(), a);
                SyncTags.silenceId(a.comment()).ifPresent(id ->
                        bySilenceTag.computeIfAbsent(id, k -> new ArrayList<>()).add(a));
                SyncTags.ackKey(a.comment()).ifPresent(key ->
                        byAckTag.computeIfAbsent(key, k -> new ArrayList<>()).add(a));
            }
        }

        /** A silence made here: copy it there, or follow what happened to the copy. */
        void own(Silence s) {
            boolean live = s.state(now) != Silence.State.EXPIRED;
            AmSilence copy = s.alertmanagerId() != null ? byId.get(s.alertmanagerId()) : null;
            if (s.alertmanagerId() == null) {
                // Not known there yet; a tagged one is ours from a round that could not record its id.
                copy = bySilenceTag.getOrDefault(s.id(), List.of()).stream().filter(a -> !a.expired()).findFirst()
                        .orElse(null);
                if (copy != null) {
                    String adopted = copy.id();
                    attempt("record the Alertmanager id of silence " + s.id(),
                            () -> engine.recordAlertmanagerId(s.id(), adopted));
                }
            }
            if (copy != null) {
                accountedFor.add(copy.id());
            }
            if (copy == null) {
                if (live) {
                    Silence sent = s;
                    attempt("create silence " + s.id(), () -> {
                        String id = alertmanager.post(new PostableSilence(null, sent.matchers(),
                                Math.max(sent.startsAt(), now), sent.endsAt(), sent.createdBy(),
                                SyncTags.silenceComment(sent.comment(), sent.id())));
                        accountedFor.add(id);
                        engine.recordAlertmanagerId(sent.id(), id);
                        LOG.info("silence {} copied to Alertmanager as {}", sent.id(), id);
                    });
                }
            } else if (live && copy.expired()) {
                expireHere(s, "expired in Alertmanager");
            } else if (!live && !copy.expired()) {
                expireThere(copy.id(), "silence " + s.id() + " expired in Chipwatch");
            } else if (live && copy.endsAt() != s.endsAt()) {
                long end = copy.endsAt();
                attempt("move the end of silence " + s.id(), () -> {
                    engine.moveSilenceEnd(s.id(), end);
                    LOG.info("silence {} now ends at {} as in Alertmanager", s.id(), Instant.ofEpochMilli(end));
                });
            }
        }

        /** A silence imported from Alertmanager: the original there decides, except that expiring here expires it. */
        void imported(Silence s) {
            boolean live = s.state(now) != Silence.State.EXPIRED;
            AmSilence original = byId.get(s.alertmanagerId() != null ? s.alertmanagerId() : s.id());
            if (original != null) {
                accountedFor.add(original.id());
            }
            if (original == null || original.expired()) {
                if (live) {
                    expireHere(s, original == null ? "gone from Alertmanager" : "expired in Alertmanager");
                }
            } else if (!live) {
                expireThere(original.id(), "imported silence " + s.id() + " expired in Chipwatch");
            } else if (!SyncTags.sameContent(s, original)) {
                attempt("update imported silence " + s.id(), () -> engine.importSilence(SyncTags.imported(original)));
            }
        }

        /** Alertmanager's silences that are nobody's here yet: imported. */
        void importNew(List<Silence> local) {
            Set<String> localIds = new HashSet<>();
            local.forEach(s -> localIds.add(s.id()));
            for (AmSilence a : byId.values()) {
                if (a.expired() || accountedFor.contains(a.id()) || localIds.contains(a.id())
                        || SyncTags.ackKey(a.comment()).isPresent()) {
                    continue;
                }
                Optional<String> ours = SyncTags.silenceId(a.comment());
                if (ours.isPresent() && localIds.contains(ours.get())) {
                    // Our silence edited in Alertmanager into a new one (the old one expired there): theirs now.
                    LOG.info("silence {} replaced in Alertmanager by {}: imported", ours.get(), a.id());
                }
                attempt("import silence " + a.id(), () -> {
                    engine.importSilence(SyncTags.imported(a));
                    LOG.info("silence {} imported from Alertmanager (by {}): {}", a.id(), a.createdBy(),
                            a.matchers());
                });
            }
        }

        /** Each acknowledged firing alert has exactly one live Alertmanager silence of its labels; nothing else. */
        void acknowledgements(List<Alert> acknowledged) {
            Set<String> wanted = new HashSet<>();
            for (Alert a : acknowledged) {
                String key = SyncTags.ackKey(a);
                wanted.add(key);
                List<AmSilence> tagged = byAckTag.getOrDefault(key, List.of());
                Optional<AmSilence> live = tagged.stream().filter(t -> !t.expired()).findFirst();
                if (live.isPresent()) {
                    if (live.get().endsAt() - now < ACK_SPAN.toMillis() / 2) {
                        AmSilence old = live.get();
                        attempt("renew acknowledgement silence " + old.id(), () -> alertmanager.post(
                                new PostableSilence(old.id(), old.matchers(), old.startsAt(),
                                        now + ACK_SPAN.toMillis(), old.createdBy(), old.comment())));
                    }
                } else if (tagged.stream().anyMatch(t -> t.endsAt() - t.updatedAt() < EXPIRED_BY_HAND_MS)) {
                    attempt("unacknowledge " + a.fingerprint(), () -> {
                        if (engine.unacknowledge(a.fingerprint(), a.acknowledgement().atMillis())) {
                            LOG.info("alert {} {} unacknowledged: its silence was expired in Alertmanager",
                                    a.alertname(), a.fingerprint());
                        }
                    });
                } else {
                    attempt("silence acknowledged alert " + a.fingerprint(), () -> {
                        String id = alertmanager.post(new PostableSilence(null, exactly(a), now,
                                now + ACK_SPAN.toMillis(), a.acknowledgement().by(), SyncTags.ackComment(a)));
                        LOG.info("alert {} {} acknowledged by {}: silenced in Alertmanager as {}", a.alertname(),
                                a.fingerprint(), a.acknowledgement().by(), id);
                    });
                }
            }
            byAckTag.forEach((key, silences) -> {
                if (!wanted.contains(key)) {
                    silences.stream().filter(t -> !t.expired()).forEach(t ->
                            expireThere(t.id(), "acknowledgement " + key + " taken back or its alert resolved"));
                }
            });
        }

        private List<Matcher> exactly(Alert a) {
            List<Matcher> matchers = new ArrayList<>();
            a.labels().forEach((name, value) -> matchers.add(Matcher.equal(name, value)));
            return matchers;
        }

        private void expireHere(Silence s, String why) {
            attempt("expire silence " + s.id(), () -> {
                engine.expireSilence(s.id());
                LOG.info("silence {} expired: {}", s.id(), why);
            });
        }

        private void expireThere(String amId, String why) {
            attempt("expire Alertmanager silence " + amId, () -> {
                alertmanager.expire(amId);
                LOG.info("Alertmanager silence {} expired: {}", amId, why);
            });
        }

        private void attempt(String what, Action action) {
            try {
                action.run();
            } catch (IOException | RuntimeException e) {
                failures++;
                lastFailure = what + ": " + e.getMessage();
            }
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    @Override
    public void close() {
        DaemonThreads.shutdown(thread, Duration.ofSeconds(5));
    }
}
