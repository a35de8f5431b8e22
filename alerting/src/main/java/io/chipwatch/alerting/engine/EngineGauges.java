package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.metrics.AlertingMetrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's gauges: {@code chipwatch_alerting_alerts{status=pending|firing|resolved}},
 * {@code chipwatch_alerting_silences_active}, {@code chipwatch_alerting_alert_groups}; counted from the state at most once a second. Engine thread.
 */
final class EngineGauges {
    private static final long EVERY_MILLIS = 1000;

    private final EngineState s;
    private final AtomicLong pending;
    private final AtomicLong firing;
    private final AtomicLong resolved;
    private final AtomicLong silencesActive;
    private final AtomicLong groups;
    private long next;

    EngineGauges(EngineState state, AlertingMetrics metrics) {
        this.s = state;
        this.pending = metrics.gauge("alerts", "Alerts by status", "status", "pending");
        this.firing = metrics.gauge("alerts", "Alerts by status", "status", "firing");
        this.resolved = metrics.gauge("alerts", "Alerts by status", "status", "resolved");
        this.silencesActive = metrics.gauge("silences.active", "Active silences");
        this.groups = metrics.gauge("alert.groups", "Aggregation groups");
    }

    /** Updates the gauges unless they were updated less than a second ago. */
    void updateIfDue(long now) {
        if (now >= next) {
            update(now);
            next = now + EVERY_MILLIS;
        }
    }

    void update(long now) {
        long p = 0;
        long f = 0;
        long r = 0;
        for (Alert a : s.alerts().all()) {
            switch (a.status()) {
                case PENDING -> p++;
                case FIRING -> f++;
                default -> r++;
            }
        }
        pending.set(p);
        firing.set(f);
        resolved.set(r);
        silencesActive.set(s.activeSilences(now));
        groups.set(s.dispatcher().groups().size());
    }
}
