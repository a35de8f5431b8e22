package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Fingerprint;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.Receiver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Re-sends, to receivers that want it ({@link Receiver#keepaliveInterval()}: Alertmanager, which resolves an alert
 * nobody re-posts), the firing alerts the notification log says they were told about, once per interval (the first
 * one interval after the first tick). Engine thread.
 *
 * <p>Every keepalive also carries the {@link #WATCHDOG} alert, always firing (Prometheus' convention), first at the
 * first tick that may notify: an external dead man's switch routed on {@code alertname="Watchdog"} pages when it
 * stops arriving, that is when this service, its engine thread or its way to Alertmanager is dead.
 *
 * <p>Alertmanager keeps alerts in memory only: after it restarts it knows none until they are posted again, so the
 * path watch, which sees the restart, asks for every keepalive at once ({@link #resendAll}).
 */
final class Keepalives {
    /** Name of the always-firing heartbeat alert. */
    static final String WATCHDOG = "Watchdog";

    private final EngineState s;
    private final Delivery delivery;
    private final String externalUrl;
    private final Alert watchdog;
    private final Map<String, Long> next = new HashMap<>();

    Keepalives(EngineState state, Delivery delivery, String externalUrl) {
        this.s = state;
        this.delivery = delivery;
        this.externalUrl = externalUrl;
        this.watchdog = watchdog(state.clock().millis());
    }

    /** The heartbeat: labels {@code alertname=Watchdog, severity=none}, firing since {@code startMillis}. */
    static Alert watchdog(long startMillis) {
        Map<String, String> labels = new TreeMap<>(Map.of("alertname", WATCHDOG, "severity", "none"));
        Map<String, String> annotations = new TreeMap<>(Map.of(
                "summary", "Always firing: the Chipwatch alerting pipeline is alive",
                "description", "Sent with every keepalive to Alertmanager. Route it to a dead man's switch, which "
                        + "must page when it stops arriving: then the alerting service (or its path to Alertmanager) "
                        + "is down and no other alert can reach anyone."));
        return new Alert(Fingerprint.of(labels), new TreeMap<>(labels), new TreeMap<>(annotations),
                AlertStatus.FIRING, startMillis, startMillis, startMillis, null, startMillis, startMillis, List.of(),
                List.of(), Double.NaN, Double.NaN, null);
    }

    /** Makes every receiver's keepalive due at once (its firing alerts and the Watchdog), as at each interval. */
    void resendAll() {
        next.replaceAll((receiver, due) -> Long.MIN_VALUE);
    }

    void sendDue(long now) {
        for (Receiver r : delivery.receivers()) {
            Optional<Duration> every = r.keepaliveInterval();
            if (every.isEmpty()) {
                continue;
            }
            Long due = next.get(r.name());
            if (due == null) {
                // The first tick: the heartbeat at once; the firing alerts were just notified.
                next.put(r.name(), now + every.get().toMillis());
                delivery.keepalive(r, List.of(watchdog), externalUrl);
                continue;
            }
            if (now < due) {
                continue;
            }
            next.put(r.name(), now + every.get().toMillis());
            List<Alert> alerts = new ArrayList<>();
            alerts.add(watchdog);
            s.nflog().firingFor(r.name()).stream().map(s.alerts()::get)
                    .flatMap(Optional::stream).filter(Alert::isFiring).forEach(alerts::add);
            delivery.keepalive(r, alerts, externalUrl);
        }
    }
}
