package io.chipwatch.alerting.inhibit;

import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.pipeline.Stage;

/** Drops firing alerts that a firing root-cause alert inhibits; resolved alerts go on. */
public final class InhibitStage implements Stage {
    private final Inhibitor inhibitor;

    public InhibitStage(Inhibitor inhibitor) {
        this.inhibitor = inhibitor;
    }

    @Override
    public String name() {
        return "inhibit";
    }

    @Override
    public Batch apply(Batch batch) {
        return batch.filter(a -> !a.isFiring() || !inhibitor.isInhibited(a));
    }
}
