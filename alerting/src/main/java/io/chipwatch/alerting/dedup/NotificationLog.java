package io.chipwatch.alerting.dedup;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.pipeline.Batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per receiver and group, what was delivered: the memory that makes "never twice" hold. Entries are persisted in
 * the state topic after every successful delivery and read back at start. Not thread-safe (engine thread).
 */
public final class NotificationLog {
    private final Map<String, NotificationLogEntry> entries = new HashMap<>();

    /** The state-topic key suffix of an entry: {@code receiver/groupKey}. */
    public static String key(String receiver, String groupKey) {
        return receiver + "/" + groupKey;
    }

    public Optional<NotificationLogEntry> get(String receiver, String groupKey) {
        return Optional.ofNullable(entries.get(key(receiver, groupKey)));
    }

    /**
     * Records a delivered batch. The receiver now knows the batch's firing alerts as firing and no longer needs its
     * resolved ones; fingerprints no longer in the group ({@code inGroup}) are forgotten.
     *
     * @return the new entry, or empty when nothing is left to remember (the entry was removed)
     */
    public Optional<NotificationLogEntry> recordDelivered(Batch sent, Set<String> inGroup, long now) {
        String key = key(sent.receiver(), sent.groupKey());
        NotificationLogEntry old = entries.get(key);
        Set<String> firing = new HashSet<>(old == null ? Set.of() : old.firing());
        for (Alert a : sent.alerts()) {
            if (a.isFiring()) {
                firing.add(a.fingerprint());
            } else {
                firing.remove(a.fingerprint());
            }
        }
        firing.retainAll(inGroup);
        if (firing.isEmpty()) {
            entries.remove(key);
            return Optional.empty();
        }
        NotificationLogEntry entry = new NotificationLogEntry(sent.receiver(), sent.groupKey(), firing, now);
        entries.put(key, entry);
        return Optional.of(entry);
    }

    /** True when some receiver still has to be told that {@code fingerprint} of this group resolved. */
    public boolean awaitsResolution(String groupKey, String fingerprint) {
        for (NotificationLogEntry e : entries.values()) {
            if (e.groupKey().equals(groupKey) && e.firing().contains(fingerprint)) {
                return true;
            }
        }
        return false;
    }

    /** Fingerprints some entry of this receiver lists as firing. */
    public Set<String> firingFor(String receiver) {
        Set<String> out = new HashSet<>();
        for (NotificationLogEntry e : entries.values()) {
            if (e.receiver().equals(receiver)) {
                out.addAll(e.firing());
            }
        }
        return out;
    }

    public void restore(NotificationLogEntry entry) {
        entries.put(key(entry.receiver(), entry.groupKey()), entry);
    }

    public void remove(String receiver, String groupKey) {
        entries.remove(key(receiver, groupKey));
    }

    public Collection<NotificationLogEntry> all() {
        return new ArrayList<>(entries.values());
    }

    /** Entries of receivers that no longer exist (configuration changed between runs). */
    public List<NotificationLogEntry> ofUnknownReceivers(Set<String> receivers) {
        return entries.values().stream().filter(e -> !receivers.contains(e.receiver())).toList();
    }
}
