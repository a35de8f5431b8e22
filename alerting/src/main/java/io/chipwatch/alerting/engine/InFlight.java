package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.dedup.NotificationLog;

import java.util.HashSet;
import java.util.Set;

/**
 * Deliveries under way, per receiver and group: at most one at a time, so a receiver never gets two notifications
 * of a group out of order. A flush that comes while one runs is remembered and sent when it ends. Engine thread.
 */
final class InFlight {
    private final Set<String> running = new HashSet<>();
    private final Set<String> flushedMeanwhile = new HashSet<>();

    boolean isRunning(String receiver, String groupKey) {
        return running.contains(NotificationLog.key(receiver, groupKey));
    }

    void started(String receiver, String groupKey) {
        running.add(NotificationLog.key(receiver, groupKey));
    }

    /** A flush came while a delivery runs: send again once it ends. */
    void flushedMeanwhile(String receiver, String groupKey) {
        flushedMeanwhile.add(NotificationLog.key(receiver, groupKey));
    }

    /** The delivery ended (delivered or dropped); true when a flush came meanwhile. */
    boolean ended(String receiver, String groupKey) {
        String key = NotificationLog.key(receiver, groupKey);
        running.remove(key);
        return flushedMeanwhile.remove(key);
    }

    int size() {
        return running.size();
    }

    boolean isEmpty() {
        return running.isEmpty();
    }
}
