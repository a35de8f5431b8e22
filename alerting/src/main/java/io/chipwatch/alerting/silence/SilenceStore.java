package io.chipwatch.alerting.silence;

import io.chipwatch.alerting.alert.Matcher;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The silences, active and recent; not thread-safe (the engine's thread owns it). */
public final class SilenceStore {
    private final Clock clock;
    private final Map<String, Silence> silences = new LinkedHashMap<>();

    public SilenceStore(Clock clock) {
        this.clock = clock;
    }

    /**
     * Creates a silence.
     *
     * @param startsAt null: now
     * @throws InvalidSilenceException when it is invalid (no matchers, a matcher that matches every alert, an end
     *                                  that is not after the start or already past)
     */
    public Silence create(List<Matcher> matchers, Long startsAt, long endsAt, String createdBy, String comment) {
        long now = clock.millis();
        long start = startsAt == null ? now : startsAt;
        if (matchers == null || matchers.isEmpty()) {
            throw new InvalidSilenceException("matchers: at least one is required");
        }
        if (matchers.stream().allMatch(m -> m.matches(Map.of()))) {
            throw new InvalidSilenceException("matchers: at least one matcher must not match an empty label "
                    + "(this silence would mute every alert)");
        }
        if (endsAt <= start) {
            throw new InvalidSilenceException("endsAt must be after startsAt");
        }
        if (endsAt <= now) {
            throw new InvalidSilenceException("endsAt is in the past");
        }
        Silence s = new Silence(UUID.randomUUID().toString(), matchers, start, endsAt, createdBy, comment, now);
        silences.put(s.id(), s);
        return s;
    }

    /** Expires a silence now; empty when there is no such silence. */
    public Optional<Silence> expire(String id) {
        Silence s = silences.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Silence expired = s.expiredAt(clock.millis());
        silences.put(id, expired);
        return Optional.of(expired);
    }

    public Optional<Silence> get(String id) {
        return Optional.ofNullable(silences.get(id));
    }

    /** All silences, newest first. */
    public List<Silence> all() {
        List<Silence> list = new ArrayList<>(silences.values());
        list.sort(Comparator.comparingLong(Silence::updatedAt).reversed());
        return list;
    }

    /** Ids of the active silences that match the labels. */
    public List<String> silencedBy(Map<String, String> labels) {
        long now = clock.millis();
        List<String> ids = new ArrayList<>();
        for (Silence s : silences.values()) {
            if (s.isActive(now) && s.matches(labels)) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    /** Removes silences expired for longer than {@code retention}; returns them. */
    public List<Silence> prune(Duration retention) {
        long cutoff = clock.millis() - retention.toMillis();
        List<Silence> removed = new ArrayList<>();
        silences.values().removeIf(s -> {
            if (s.endsAt() < cutoff) {
                removed.add(s);
                return true;
            }
            return false;
        });
        return removed;
    }

    /** Puts back a silence read from the state topic. */
    public void restore(Silence silence) {
        silences.put(silence.id(), silence);
    }

    public void remove(String id) {
        silences.remove(id);
    }
}
