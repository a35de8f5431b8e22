package io.chipwatch.alerting.silence;

import io.chipwatch.alerting.pipeline.MutingStage;

/** Drops firing alerts that an active silence matches; resolved alerts go on. */
public final class SilenceStage extends MutingStage {
    public SilenceStage(SilenceStore silences) {
        super("silence", a -> !silences.silencedBy(a.labels()).isEmpty());
    }
}
