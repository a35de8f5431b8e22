package io.chipwatch.alerting.pipeline;

import io.chipwatch.alerting.alert.Alert;

import java.util.function.Predicate;

/**
 * A stage that drops the firing alerts something mutes (an inhibition, a silence). Resolved alerts always go on:
 * a receiver that was paged learns the end.
 */
public abstract class MutingStage implements Stage {
    private final String name;
    private final Predicate<Alert> mutes;

    /** @param mutes whether a firing alert is muted now */
    protected MutingStage(String name, Predicate<Alert> mutes) {
        this.name = name;
        this.mutes = mutes;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Batch apply(Batch batch) {
        return batch.filter(a -> !a.isFiring() || !mutes.test(a));
    }
}
