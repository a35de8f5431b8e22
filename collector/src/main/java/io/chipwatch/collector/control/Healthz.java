package io.chipwatch.collector.control;

import io.chipwatch.collector.metrics.CollectorMetrics;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * {@code GET /healthz} of both collector servers: 200 {@code ok} while the collector samples, 503 naming why when
 * its ticks have stalled ({@link CollectorMetrics#stalled}): a process that serves HTTP but no longer samples is not
 * healthy. The supervisor counts any answer as alive (a restart is for a hung process); {@code status} shows 503 as
 * down.
 */
final class Healthz {
    private Healthz() {
    }

    static void answer(Context ctx, CollectorMetrics metrics) {
        Optional<String> stalled = metrics.stalled();
        ctx.contentType("text/plain; charset=utf-8");
        if (stalled.isPresent()) {
            ctx.status(503).result("stalled: " + stalled.get() + "\n");
        } else {
            ctx.result("ok\n");
        }
    }
}
