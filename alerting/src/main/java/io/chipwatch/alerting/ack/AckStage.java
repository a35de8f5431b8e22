package io.chipwatch.alerting.ack;

import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.pipeline.Stage;

/**
 * Acknowledged alerts are not paged again: in a {@link Batch.Reason#REPEAT} batch, acknowledged firing alerts are
 * dropped (a repeat of only acknowledged alerts is not sent). A batch sent because something changed (a new alert
 * in the group, a resolution) goes out whole, acknowledged alerts marked as such by the receiver's payload.
 * Runs after the dedup stage, which sets the reason.
 */
public final class AckStage implements Stage {

    @Override
    public String name() {
        return "ack";
    }

    @Override
    public Batch apply(Batch batch) {
        if (batch.reason() != Batch.Reason.REPEAT) {
            return batch;
        }
        return batch.filter(a -> !(a.isFiring() && a.isAcknowledged()));
    }
}
