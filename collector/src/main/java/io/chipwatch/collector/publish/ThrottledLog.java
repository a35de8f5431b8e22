package io.chipwatch.collector.publish;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A publisher's failure log: a dead broker fails every record, so it logs the first failure of a burst, then at
 * most one line per interval; and it keeps the first failure ever seen, for an error message that says why without
 * the log. Thread-safe.
 */
final class ThrottledLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicReference<String> first = new AtomicReference<>();

    ThrottledLog(Logger log) {
        this.log = log;
    }

    /** Remembers the failure if it is the first, and logs it as a warning unless one was logged in the interval. */
    void failure(String what, Throwable e, long failedSoFar) {
        first.compareAndSet(null, what + ": " + e);
        if (claim()) {
            log.warn("{}: {} ({} failed so far)", what, e.toString(), failedSoFar);
        }
    }

    /** Whether a line may be logged now (none was in the interval); when true, the interval starts again. */
    boolean claim() {
        long now = System.nanoTime();
        long last = lastNanos.get();
        return now - last >= INTERVAL_NANOS && lastNanos.compareAndSet(last, now);
    }

    /** The first failure seen ("what: exception"), or null. */
    String first() {
        return first.get();
    }
}
