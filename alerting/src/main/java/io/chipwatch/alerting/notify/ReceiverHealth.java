package io.chipwatch.alerting.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a receiver answers, for {@code /metrics}, {@code /api/status} and the log: a receiver that stays down
 * is reported loudly (a WARN per failure at first, then at most every 30 s, and an ERROR once it has been failing
 * for {@link #DOWN_AFTER}), and its recovery is logged.
 */
public final class ReceiverHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverHealth.class);
    /** Failing this long counts as down (ERROR in the log). */
    public static final Duration DOWN_AFTER = Duration.ofSeconds(30);
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final String receiver;
    private final Clock clock;
    private final AtomicLong up;
    private final AtomicLong consecutive;
    private final AtomicLong pending;
    private long failingSince = -1;
    private long lastLogged = -1;
    private boolean reportedDown;
    private String lastError = "";
    private long lastSuccess = -1;

    public ReceiverHealth(String receiver, Clock clock, AtomicLong upGauge, AtomicLong consecutiveGauge,
                          AtomicLong pendingGauge) {
        this.receiver = receiver;
        this.clock = clock;
        this.up = upGauge;
        this.consecutive = consecutiveGauge;
        this.pending = pendingGauge;
        up.set(1);
    }

    public synchronized void success() {
        long now = clock.millis();
        if (failingSince >= 0) {
            LOG.info("receiver {} reachable again after {} failed attempt(s) over {} s", receiver, consecutive.get(),
                    (now - failingSince) / 1000);
        }
        failingSince = -1;
        reportedDown = false;
        lastSuccess = now;
        consecutive.set(0);
        up.set(1);
    }

    public synchronized void failure(String error, Duration retryIn) {
        long now = clock.millis();
        lastError = error;
        long n = consecutive.incrementAndGet();
        if (failingSince < 0) {
            failingSince = now;
        }
        if (n <= 3 || now - lastLogged >= LOG_EVERY.toMillis()) {
            LOG.warn("receiver {}: delivery attempt failed ({} in a row, {} notification(s) waiting), retry in {} ms: {}",
                    receiver, n, pending.get(), retryIn.toMillis(), error);
            lastLogged = now;
        }
        if (!reportedDown && now - failingSince >= DOWN_AFTER.toMillis()) {
            reportedDown = true;
            up.set(0);
            LOG.error("receiver {} is DOWN: failing for {} s, {} notification(s) waiting and being retried; "
                    + "last error: {}", receiver, (now - failingSince) / 1000, pending.get(), error);
        }
    }

    public void taskStarted() {
        pending.incrementAndGet();
    }

    public void taskEnded() {
        pending.decrementAndGet();
    }

    public synchronized boolean isUp() {
        return up.get() == 1;
    }

    /** A snapshot for the status API. */
    public synchronized Status status() {
        return new Status(receiver, up.get() == 1, consecutive.get(), pending.get(), lastError,
                failingSince < 0 ? null : failingSince, lastSuccess < 0 ? null : lastSuccess);
    }

    /** What {@code /api/status} shows per receiver. */
    public record Status(String receiver, boolean up, long consecutiveFailures, long pending, String lastError,
                         Long failingSince, Long lastSuccess) {
    }
}
