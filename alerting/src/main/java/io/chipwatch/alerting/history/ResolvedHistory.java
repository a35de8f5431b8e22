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
        return list(null, 0, limit);
    }

    /**
     * A page of the history, newest (latest end) first: the entries of alert {@code alertname} (all when null),
     * skipping {@code offset}, at most {@code limit}.
     */
    public List<Alert> list(String alertname, int offset, int limit) {
        return entries.values().stream()
                .filter(a -> alertname == null || alertname.equals(a.alertname()))
                .sorted(NEWEST_FIRST)
                .skip(Math.max(0, offset)).limit(Math.max(0, limit)).toList();
    }

    /**
     * The history by alert name, the group with the latest end first: how many entries each name has and its
     * latest one. What keeps a storm (a thousand NodeDown after an outage) one line on the page.
     */
    public List<Group> groups() {
        Map<String, Group> byName = new LinkedHashMap<>();
        for (Alert a : entries.values().stream().sorted(NEWEST_FIRST).toList()) {
            Group g = byName.get(a.alertname());
            byName.put(a.alertname(), g == null ? new Group(a.alertname(), 1, a) : new Group(g.alertname(),
                    g.count() + 1, g.latest()));
        }
        return List.copyOf(byName.values());
    }

    /** The resolved entries of one alert name: how many, and the latest to end. */
    public record Group(String alertname, int count, Alert latest) {
    }

    private static final Comparator<Alert> NEWEST_FIRST =
            Comparator.comparing((Alert a) -> a.endsAt() == null ? 0L : a.endsAt()).reversed();

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
