package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.Notification;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.pipeline.Stage;

import java.time.Clock;
import java.util.Optional;

/**
 * The retry stage (Alertmanager's {@code RetryStage}): hands the batch to {@link Delivery}, which tries the receiver
 * until it takes it, with backoff, asking for fresh content before each retry. It does not block the engine thread:
 * {@link #apply} returns the batch it handed over at once, and the outcome comes back on the {@link EngineLoop}
 * through {@link Outcomes} — {@code delivered} goes on to the {@link SetNotifiesStage}.
 */
record RetryStage(Delivery delivery, EngineLoop loop, Clock clock, String externalUrl, Outcomes outcomes)
        implements Stage {

    /** What the stage asks and tells the engine; called on the engine thread. */
    interface Outcomes {
        /** Before a retry: the group's batch for the receiver as it is now; empty when it is no longer needed. */
        Optional<Batch> refresh(String receiver, String groupKey);

        /** The receiver took {@code sent} ({@link Batch#now()}: when the engine learnt it). */
        void delivered(Batch sent);

        /** The delivery ended without the receiver taking it (obsolete, or the service stopping). */
        void dropped(String receiver, String groupKey);
    }

    @Override
    public String name() {
        return "retry";
    }

    @Override
    public Batch apply(Batch batch) {
        delivery.submit(task(batch.receiver(), batch.groupKey(), Notification.of(batch, externalUrl)));
        return batch;
    }

    private Delivery.Task task(String receiver, String groupKey, Notification first) {
        return new Delivery.Task(receiver, first,
                () -> loop.submit(() -> outcomes.refresh(receiver, groupKey)
                        .map(b -> Notification.of(b, externalUrl))),
                sent -> loop.post(() -> outcomes.delivered(new Batch(receiver, groupKey, sent.groupLabels(),
                        sent.alerts(), sent.reason(), clock.millis()))),
                reason -> loop.post(() -> outcomes.dropped(receiver, groupKey)));
    }
}
