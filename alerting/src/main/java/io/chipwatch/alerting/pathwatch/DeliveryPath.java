package io.chipwatch.alerting.pathwatch;

import io.chipwatch.alerting.notify.ReceiverHealth;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A receiver (Alertmanager, a webhook) that has failed every delivery for {@code limit}: pages to it are not
 * arriving (they are retried). Entity the receiver's name. The alert reaches the other receivers and the page.
 */
public final class DeliveryPath implements PathProbe {
    private final Supplier<List<ReceiverHealth.Status>> receivers;
    private final Duration limit;

    public DeliveryPath(Supplier<List<ReceiverHealth.Status>> receivers, Duration limit) {
        this.receivers = receivers;
        this.limit = limit;
    }

    @Override
    public List<PathProblem> problems(long nowMillis) {
        List<PathProblem> problems = new ArrayList<>();
        for (ReceiverHealth.Status r : receivers.get()) {
            if (r.failingSince() == null) {
                continue;
            }
            long failing = nowMillis - r.failingSince();
            if (failing >= limit.toMillis()) {
                problems.add(new PathProblem(r.receiver(), Severity.CRITICAL, r.failingSince(), String.format(
                        Locale.ROOT, "receiver %s has failed every delivery for %.0f s (limit %.0f s), %d in a row, "
                                + "%d notification(s) waiting and retried: pages sent to it are not arriving; "
                                + "last error: %s", r.receiver(), failing / 1000.0, limit.toMillis() / 1000.0,
                        r.consecutiveFailures(), r.pending(), r.lastError()),
                        Map.of(Fact.FAILING_S, failing / 1000.0, Fact.FAILING_LIMIT_S, limit.toMillis() / 1000.0)));
            }
        }
        return problems;
    }
}
