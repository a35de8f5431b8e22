package io.chipwatch.alerting.group;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The alerts that go out together in one notification: those with the same values of the route's
 * {@code group_by} labels. Holds fingerprints only; the alerts themselves live in the alert store.
 */
public final class AggregationGroup {
    private final String key;
    private final Map<String, String> labels;
    private final Set<String> fingerprints = new LinkedHashSet<>();
    private long nextFlushAt;
    private boolean flushedOnce;

    AggregationGroup(String key, Map<String, String> labels, long nextFlushAt) {
        this.key = key;
        this.labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        this.nextFlushAt = nextFlushAt;
    }

    /** E.g. {@code {}:{alertname="NodeDown", entity="p00-r01-n02"}}, as Alertmanager writes group keys. */
    public String key() {
        return key;
    }

    /** The group_by labels and their values. */
    public Map<String, String> labels() {
        return labels;
    }

    public Set<String> fingerprints() {
        return Collections.unmodifiableSet(fingerprints);
    }

    /** When the group is next due to be flushed, epoch ms. */
    public long nextFlushAt() {
        return nextFlushAt;
    }

    /** True once its first flush (after group_wait) happened. */
    public boolean flushedOnce() {
        return flushedOnce;
    }

    boolean add(String fingerprint) {
        return fingerprints.add(fingerprint);
    }

    boolean remove(String fingerprint) {
        return fingerprints.remove(fingerprint);
    }

    void flushed(long nextFlushAt) {
        this.nextFlushAt = nextFlushAt;
        this.flushedOnce = true;
    }

    void reschedule(long nextFlushAt) {
        this.nextFlushAt = nextFlushAt;
    }

    @Override
    public String toString() {
        return key + " " + fingerprints;
    }
}
