package io.chipwatch.alerting.dedup;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.pipeline.Stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Sends a batch only when the receiver learns something: a firing alert it was not told about ({@code NEW}), the
 * resolution of one it was told about ({@code RESOLVED}), or, with nothing new, a reminder once
 * {@code repeat_interval} has passed since the last notification ({@code REPEAT}). Resolved alerts the receiver
 * never heard of as firing are dropped (no "resolved" for what never paged). Decides from the
 * {@link NotificationLog}, so a restart (which reads the log back) does not page again.
 */
public record DedupStage(NotificationLog log, Duration repeatInterval) implements Stage {
    @Override
    public String name() {
        return "dedup";
    }

    @Override
    public Batch apply(Batch batch) {
        NotificationLogEntry entry = log.get(batch.receiver(), batch.groupKey()).orElse(null);
        Set<String> told = entry == null ? Set.of() : entry.firing();
        List<Alert> firing = batch.firing();
        List<Alert> resolved = batch.resolved().stream().filter(a -> told.contains(a.fingerprint())).toList();
        List<Alert> out = new ArrayList<>(firing);
        out.addAll(resolved);
        if (firing.stream().anyMatch(a -> !told.contains(a.fingerprint()))) {
            return batch.withAlerts(out).withReason(Batch.Reason.NEW);
        }
        if (!resolved.isEmpty()) {
            return batch.withAlerts(out).withReason(Batch.Reason.RESOLVED);
        }
        if (!firing.isEmpty() && entry != null && batch.now() - entry.lastSentMillis() >= repeatInterval.toMillis()) {
            return batch.withAlerts(firing).withReason(Batch.Reason.REPEAT);
        }
        return batch.withAlerts(List.of());
    }
}
