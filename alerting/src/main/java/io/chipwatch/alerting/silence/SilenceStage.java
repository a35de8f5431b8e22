package io.chipwatch.alerting.silence;

import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.pipeline.Stage;

/** Drops firing alerts that an active silence matches; resolved alerts go on. */
public final class SilenceStage implements Stage {
    private final SilenceStore silences;

    public SilenceStage(SilenceStore silences) {
        this.silences = silences;
    }

    @Override
    public String name() {
        return "silence";
    }

    @Override
    public Batch apply(Batch batch) {
        return batch.filter(a -> !a.isFiring() || silences.silencedBy(a.labels()).isEmpty());
    }
}
