package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.dedup.IngestResult;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.model.anomaly.Anomaly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Alert lifecycle changes and what follows from each: an anomaly event applied to the alerts (counted in
 * {@code chipwatch_alerting_anomalies_received_total}), a pending alert whose {@code for} elapsed. A firing alert joins its group and
 * may inhibit others; a resolved one that fired goes to the history; both are written to InfluxDB and persisted.
 * Runs on the engine thread.
 */
record AlertTransitions(EngineState state, StatePersister persister, AlertEventSink events,
                        AlertingMetrics metrics) {
    private static final Logger LOG = LoggerFactory.getLogger(AlertTransitions.class);

    /** Applies one anomaly event; returns the state writes it caused (none for a duplicate). */
    List<CompletableFuture<Void>> apply(Anomaly anomaly) {
        IngestResult r = state.alerts().apply(anomaly);
        metrics.anomaly(r.outcome().label());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        if (!r.changed()) {
            if (r.outcome() == IngestResult.Outcome.UNMATCHED) {
                LOG.info("close of anomaly {} matches no open alert (opened before this service's state?): ignored",
                        anomaly.id());
            }
            return writes;
        }
        Alert after = r.after();
        writes.add(persister.alert(after));
        long now = state.clock().millis();
        switch (r.outcome()) {
            case FIRING -> firing(after, now);
            case RESOLVED -> {
                state.inhibitor().invalidate();
                if (after.hasFired()) {
                    events.record(after, "resolved", after.endsAt());
                    writes.add(persister.resolved(state.history().add(after), after));
                    LOG.info("alert {} {} resolved", after.alertname(), after.labels().get("entity"));
                }
            }
            default -> {
            }
        }
        return writes;
    }

    /** Pending alerts whose {@code for} has elapsed fire. */
    void promoteDue(long now) {
        for (Alert a : state.alerts().promote()) {
            persister.alert(a);
            firing(a, now);
        }
    }

    private void firing(Alert alert, long now) {
        state.inhibitor().invalidate();
        state.dispatcher().add(alert, now);
        events.record(alert, "firing", alert.firingAt() != null ? alert.firingAt() : now);
        LOG.info("alert {} {} firing ({})", alert.alertname(), alert.labels().get("entity"), alert.fingerprint());
    }
}
