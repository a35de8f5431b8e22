package io.chipwatch.alerting.inhibit;

import io.chipwatch.alerting.pipeline.MutingStage;

/** Drops firing alerts that a firing root-cause alert inhibits; resolved alerts go on. */
public final class InhibitStage extends MutingStage {
    public InhibitStage(Inhibitor inhibitor) {
        super("inhibit", inhibitor::isInhibited);
    }
}
