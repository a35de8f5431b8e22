package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.ack.AckStage;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.dedup.DedupStage;
import io.chipwatch.alerting.group.AggregationGroup;
import io.chipwatch.alerting.inhibit.InhibitStage;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.Receiver;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.pipeline.NotificationPipeline;
import io.chipwatch.alerting.pipeline.RecordOnlyStage;
import io.chipwatch.alerting.silence.SilenceStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sends the groups that are due to every receiver, through the receiver pipeline:
 * <pre>
 *   group ─▶ record-only ─▶ inhibit ─▶ silence ─▶ dedup ─▶ ack ─▶ retry (Delivery) ─ ─ ▶ set-notifies (notification log)
 * </pre>
 * One delivery per receiver and group at a time ({@link InFlight}); a resolved alert leaves its group once no
 * receiver still has to hear of it, an empty group goes. Nothing is sent before {@link #enable}. Engine thread.
 */
final class GroupNotifier implements RetryStage.Outcomes {
    private static final Logger LOG = LoggerFactory.getLogger(GroupNotifier.class);

    private final EngineState s;
    private final Collection<Receiver> receivers;
    private final NotificationPipeline pipeline;
    private final RetryStage retry;
    private final SetNotifiesStage setNotifies;
    private final InFlight inFlight = new InFlight();
    private boolean enabled;

    GroupNotifier(EngineState state, Delivery delivery, EngineLoop loop, StatePersister persister,
                  AlertingMetrics metrics, String externalUrl) {
        this.s = state;
        this.receivers = delivery.receivers();
        this.pipeline = new NotificationPipeline(List.of(new RecordOnlyStage(), new InhibitStage(s.inhibitor()),
                new SilenceStage(s.silences()), new DedupStage(s.nflog(), s.rules().route().repeatInterval()),
                new AckStage()));
        this.retry = new RetryStage(delivery, loop, s.clock(), externalUrl, this);
        this.setNotifies = new SetNotifiesStage(s.nflog(), s.dispatcher(), persister, metrics);
    }

    /** Allows notifications (held back at start until the consumer has caught up). */
    void enable() {
        if (!enabled) {
            enabled = true;
            LOG.info("dispatch enabled: {} group(s) waiting", s.dispatcher().groups().size());
        }
    }

    boolean enabled() {
        return enabled;
    }

    /** Deliveries under way. */
    int inFlight() {
        return inFlight.size();
    }

    boolean idle() {
        return inFlight.isEmpty();
    }

    /** Sends every group whose group_wait or group_interval is over. */
    void flushDue(long now) {
        for (AggregationGroup g : s.dispatcher().due(now)) {
            s.dispatcher().flushed(g, now);
            for (Receiver r : receivers) {
                if (inFlight.isRunning(r.name(), g.key())) {
                    inFlight.flushedMeanwhile(r.name(), g.key());
                } else {
                    send(r.name(), g, now);
                }
            }
            prune(g);
        }
    }

    private void send(String receiver, AggregationGroup group, long now) {
        Optional<Batch> toSend = batch(receiver, group, now);
        if (toSend.isEmpty()) {
            return;
        }
        Batch b = toSend.get();
        inFlight.started(receiver, group.key());
        LOG.info("notifying {} of group {}: {} ({} firing, {} resolved)", receiver, group.key(), b.reason(),
                b.firing().size(), b.resolved().size());
        retry.apply(b);
    }

    /** The group's firing and resolved alerts for the receiver after inhibit, silence, dedup and ack. */
    private Optional<Batch> batch(String receiver, AggregationGroup group, long now) {
        List<Alert> current = new ArrayList<>();
        for (String fp : group.fingerprints()) {
            s.alerts().get(fp).filter(a -> a.isFiring() || a.isResolved()).ifPresent(current::add);
        }
        current.sort(Comparator.comparing(Alert::startsAt).thenComparing(Alert::fingerprint));
        return pipeline.run(new Batch(receiver, group.key(), group.labels(), current, null, now)).toSend();
    }

    @Override
    public Optional<Batch> refresh(String receiver, String groupKey) {
        return s.dispatcher().group(groupKey).flatMap(g -> batch(receiver, g, s.clock().millis()));
    }

    @Override
    public void delivered(Batch sent) {
        setNotifies.apply(sent);
        finished(sent.receiver(), sent.groupKey());
    }

    @Override
    public void dropped(String receiver, String groupKey) {
        finished(receiver, groupKey);
    }

    /** The delivery ended: a flush that came meanwhile is sent now. */
    private void finished(String receiver, String groupKey) {
        boolean again = inFlight.ended(receiver, groupKey);
        Optional<AggregationGroup> group = s.dispatcher().group(groupKey);
        if (group.isEmpty()) {
            return;
        }
        if (again && enabled) {
            send(receiver, group.get(), s.clock().millis());
        }
        prune(group.get());
    }

    /** Drops resolved alerts no receiver still has to hear about; a group without alerts goes. */
    private void prune(AggregationGroup group) {
        for (Receiver r : receivers) {
            if (inFlight.isRunning(r.name(), group.key())) {
                return;
            }
        }
        for (String fp : List.copyOf(group.fingerprints())) {
            Optional<Alert> a = s.alerts().get(fp);
            if (a.isEmpty() || (!a.get().isFiring() && !s.nflog().awaitsResolution(group.key(), fp))) {
                s.dispatcher().remove(fp);
            }
        }
    }
}
