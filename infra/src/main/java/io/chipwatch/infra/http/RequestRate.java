package io.chipwatch.infra.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A {@code before} handler limiting the requests a server takes, over all its clients: a token bucket of
 * {@code burst} requests refilled at {@code perSecond}; a request finding it empty is refused with 429 and
 * {@code Retry-After}, before any route runs. It keeps a runaway script or a flood from holding the server's few
 * worker threads (the APIs serve people, the CLI and a page; none needs more than a few requests a second).
 */
public final class RequestRate implements Handler {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private double tokens;
    private long last;

    /**
     * @param perSecond the sustained rate, more than 0
     * @param burst     how many requests may come at once, at least 1
     * @param nanos     a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public RequestRate(double perSecond, int burst, LongSupplier nanos) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a request rate needs perSecond > 0 and burst >= 1, got " + perSecond
                    + " and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
        this.tokens = burst;
        this.last = nanos.getAsLong();
    }

    /** Takes one request's token; false when none is left. */
    public synchronized boolean tryAcquire() {
        long now = nanos.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    @Override
    public void handle(Context ctx) {
        if (!tryAcquire()) {
            throw HttpError.tooManyRequests(String.format(Locale.ROOT, "more than %s requests a second (bursts of "
                    + "%.0f): slow down", number(perSecond), burst), Duration.ofMillis((long) Math.ceil(1000 / perSecond)));
        }
    }
}
