package io.chipwatch.alerting.dedup;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one receiver was last told about one group (Alertmanager's notification log).
 *
 * @param receiver       receiver name
 * @param groupKey       group key
 * @param firing         fingerprints the receiver was told are firing and has not yet been told resolved
 * @param lastSentMillis when the last notification for the group reached it
 */
public record NotificationLogEntry(String receiver, String groupKey, Set<String> firing, long lastSentMillis) {
    public NotificationLogEntry {
        firing = Collections.unmodifiableSet(new TreeSet<>(firing));
    }
}
