package io.chipwatch.alerting.group;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.rules.RouteSettings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Sorts alerts into {@link AggregationGroup}s by the route's {@code group_by} labels and says when each group is
 * due: {@code group_wait} after it was created (the route's, or the rule's own for its alert name), then every {@code group_interval}. Time is passed in (epoch ms),
 * so tests drive it with any clock. Not thread-safe (engine thread).
 */
public final class Dispatcher {
    private final RouteSettings route;
    private final Map<String, AggregationGroup> groups = new LinkedHashMap<>();
    private final Map<String, String> groupOfFingerprint = new HashMap<>();

    public Dispatcher(RouteSettings route) {
        this.route = route;
    }

    public RouteSettings route() {
        return route;
    }

    /** The group_by labels of an alert (those it has). */
    public Map<String, String> groupLabels(Map<String, String> labels) {
        if (route.groupByAll()) {
            return new TreeMap<>(labels);
        }
        Map<String, String> out = new TreeMap<>();
        for (String name : route.groupBy()) {
            String value = labels.get(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    /** Alertmanager's group key form: {@code {}:{name="value", ...}}. */
    public String groupKey(Map<String, String> labels) {
        return "{}:{" + groupLabels(labels).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ")) + "}";
    }

    /**
     * Puts a (firing or resolved) alert into its group, creating the group (first flush at now + group_wait) when
     * there is none.
     *
     * @return the group
     */
    public AggregationGroup add(Alert alert, long now) {
        String key = groupKey(alert.labels());
        AggregationGroup g = groups.computeIfAbsent(key,
                k -> new AggregationGroup(k, groupLabels(alert.labels()),
                        now + route.groupWait(alert.labels().get("alertname")).toMillis()));
        g.add(alert.fingerprint());
        groupOfFingerprint.put(alert.fingerprint(), key);
        return g;
    }

    /** Groups due for a flush at {@code now}, earliest first. */
    public List<AggregationGroup> due(long now) {
        List<AggregationGroup> due = new ArrayList<>();
        for (AggregationGroup g : groups.values()) {
            if (g.nextFlushAt() <= now) {
                due.add(g);
            }
        }
        due.sort(Comparator.comparingLong(AggregationGroup::nextFlushAt));
        return due;
    }

    /** The group was flushed at {@code now}: next flush after group_interval. */
    public void flushed(AggregationGroup group, long now) {
        group.flushed(now + route.groupInterval().toMillis());
    }

    /** Brings a group's next flush forward to {@code at} (never later than already planned). */
    public void flushNoLaterThan(AggregationGroup group, long at) {
        if (at < group.nextFlushAt()) {
            group.reschedule(at);
        }
    }

    /** Takes an alert out of its group; drops the group when it is empty. */
    public void remove(String fingerprint) {
        String key = groupOfFingerprint.remove(fingerprint);
        if (key == null) {
            return;
        }
        AggregationGroup g = groups.get(key);
        if (g != null) {
            g.remove(fingerprint);
            if (g.fingerprints().isEmpty()) {
                groups.remove(key);
            }
        }
    }

    public Optional<AggregationGroup> groupOf(String fingerprint) {
        String key = groupOfFingerprint.get(fingerprint);
        return key == null ? Optional.empty() : Optional.ofNullable(groups.get(key));
    }

    public Optional<AggregationGroup> group(String key) {
        return Optional.ofNullable(groups.get(key));
    }

    public Collection<AggregationGroup> groups() {
        return List.copyOf(groups.values());
    }

    /** The earliest planned flush, or empty when there are no groups. */
    public Optional<Long> nextDue() {
        return groups.values().stream().map(AggregationGroup::nextFlushAt).min(Long::compare);
    }
}
