package io.chipwatch.alerting.pipeline;

/**
 * One step of the notification pipeline (as Alertmanager's notify stages): takes a batch, returns it with the
 * alerts that go on. An empty result ends the pipeline for this flush: nothing is sent.
 *
 * <p>The stages, in order: {@code record-only} (drops info alerts: they reach no receiver), {@code inhibit} (drops firing alerts a firing root cause explains), {@code silence}
 * (drops firing alerts an active silence matches), {@code dedup} (compares with what the receiver was already
 * told; sets the {@link Batch.Reason}), {@code ack} (drops acknowledged alerts from repeats). Resolved alerts pass
 * inhibit, silence and ack: a receiver that was paged always learns the end.
 *
 * <p>Stages run on the alerting engine's single thread; they read time from the batch or an injected clock.
 */
public interface Stage {

    /** Short name for logs and metrics. */
    String name();

    /** The batch with the alerts that go on (possibly none). */
    Batch apply(Batch batch);
}
