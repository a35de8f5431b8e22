package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.Receiver;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-sends, to receivers that want it ({@link Receiver#keepaliveInterval()}: Alertmanager, which resolves an alert
 * nobody re-posts), the firing alerts the notification log says they were told about, once per interval (the first
 * one interval after the first tick). Engine thread.
 */
final class Keepalives {
    private final EngineState s;
    private final Delivery delivery;
    private final String externalUrl;
    private final Map<String, Long> next = new HashMap<>();

    Keepalives(EngineState state, Delivery delivery, String externalUrl) {
        this.s = state;
        this.delivery = delivery;
        this.externalUrl = externalUrl;
    }

    void sendDue(long now) {
        for (Receiver r : delivery.receivers()) {
            Optional<Duration> every = r.keepaliveInterval();
            if (every.isEmpty()) {
                continue;
            }
            long due = next.computeIfAbsent(r.name(), k -> now + every.get().toMillis());
            if (now < due) {
                continue;
            }
            next.put(r.name(), now + every.get().toMillis());
            List<Alert> firing = s.nflog().firingFor(r.name()).stream().map(s.alerts()::get)
                    .flatMap(Optional::stream).filter(Alert::isFiring).toList();
            if (!firing.isEmpty()) {
                delivery.keepalive(r, firing, externalUrl);
            }
        }
    }
}
