package io.chipwatch.alerting.history;

import io.chipwatch.alerting.alert.Alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts that fired and resolved, newest first, kept for {@code resolved_retention} and at most
 * {@code history_limit} entries. One entry per occurrence (fingerprint and start). Engine thread only.
 */
public final class ResolvedHistory {
    private final Map<String, Alert> entries = new LinkedHashMap<>();

    /** The state-topic key suffix of an occurrence. */
    public static String key(Alert alert) {
        return alert.fingerprint() + "@" + alert.startsAt();
    }

    /** Adds a resolved alert; returns its key. */
    public String add(Alert alert) {
        String key = key(alert);
        entries.put(key, alert);
        return key;
    }

    public void restore(String key, Alert alert) {
        entries.put(key, alert);
    }

    /** Newest (latest end) first, at most {@code limit}. */
    public List<Alert> list(int limit) {
        return entries.values().stream()
                .sorted(Comparator.comparing((Alert a) -> a.endsAt() == null ? 0L : a.endsAt()).reversed())
                .limit(Math.max(0, limit)).toList();
    }

    public int size() {
        return entries.size();
    }

    /** Drops entries that ended before now - retention, and the oldest beyond {@code limit}; returns their keys. */
    public List<String> prune(long now, Duration retention, int limit) {
        List<String> removed = new ArrayList<>();
        long cutoff = now - retention.toMillis();
        entries.entrySet().removeIf(e -> {
            Long end = e.getValue().endsAt();
            if (end != null && end < cutoff) {
                removed.add(e.getKey());
                return true;
            }
            return false;
        });
        if (entries.size() > limit) {
            List<Map.Entry<String, Alert>> oldestFirst = new ArrayList<>(entries.entrySet());
            oldestFirst.sort(Comparator.comparing(e -> e.getValue().endsAt() == null ? 0L : e.getValue().endsAt()));
            for (int i = 0; i < oldestFirst.size() - limit; i++) {
                entries.remove(oldestFirst.get(i).getKey());
                removed.add(oldestFirst.get(i).getKey());
            }
        }
        return removed;
    }
}
