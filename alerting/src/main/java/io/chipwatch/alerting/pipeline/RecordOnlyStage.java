package io.chipwatch.alerting.pipeline;

import io.chipwatch.model.anomaly.Severity;

/**
 * The first notification stage: alerts of severity {@code info} (a link wearing, docs/INSIGHTS.md) are for the
 * record, never a page: they stay on the page, the API and the InfluxDB {@code alert} measurement, and no receiver
 * (Alertmanager, webhook) hears of them, firing or resolved.
 */
public final class RecordOnlyStage implements Stage {
    /** The severity that is recorded only. */
    public static final String RECORD_ONLY = Severity.INFO.label();

    @Override
    public String name() {
        return "record-only";
    }

    @Override
    public Batch apply(Batch batch) {
        return batch.filter(a -> !RECORD_ONLY.equals(a.severity()));
    }
}
