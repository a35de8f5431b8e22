package io.chipwatch.alerting.silence;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chipwatch.alerting.alert.Matcher;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A silence: alerts whose labels match all matchers are not notified between {@code startsAt} and
 * {@code endsAt} (epoch ms). Deleting a silence expires it (its end becomes now), as in Alertmanager.
 *
 * <p>Silences are shared with Alertmanager ({@code amsync/SilenceSync}): one made here is copied there
 * ({@code alertmanagerId} is then the copy's id), one made there is imported here ({@link Origin#ALERTMANAGER},
 * same id as there).
 *
 * @param origin         where it was made; {@link Origin#CHIPWATCH} when absent (state written before the sync)
 * @param alertmanagerId its id in Alertmanager; null while a Chipwatch silence has not reached Alertmanager
 */
public record Silence(String id, List<Matcher> matchers, long startsAt, long endsAt, String createdBy,
                      String comment, long updatedAt, Origin origin, String alertmanagerId) {

    /** Where a silence was made. */
    public enum Origin {
        /** On the page, the API or the CLI; copied to Alertmanager. */
        CHIPWATCH,
        /** In Alertmanager (amtool, its UI or API); imported here, Alertmanager's copy is the original. */
        ALERTMANAGER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a silence is in its life. */
    public enum State {
        PENDING, ACTIVE, EXPIRED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @JsonCreator
    public Silence {
        matchers = List.copyOf(matchers);
        createdBy = createdBy == null ? "" : createdBy;
        comment = comment == null ? "" : comment;
        origin = origin == null ? Origin.CHIPWATCH : origin;
    }

    /** A silence made in Chipwatch, not yet in Alertmanager. */
    public Silence(String id, List<Matcher> matchers, long startsAt, long endsAt, String createdBy, String comment,
                   long updatedAt) {
        this(id, matchers, startsAt, endsAt, createdBy, comment, updatedAt, Origin.CHIPWATCH, null);
    }

    public State state(long now) {
        if (now >= endsAt) {
            return State.EXPIRED;
        }
        return now < startsAt ? State.PENDING : State.ACTIVE;
    }

    @JsonIgnore
    public boolean isActive(long now) {
        return state(now) == State.ACTIVE;
    }

    public boolean matches(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }

    public Silence expiredAt(long now) {
        long end = Math.min(endsAt, now);
        return new Silence(id, matchers, Math.min(startsAt, end), end, createdBy, comment, now, origin,
                alertmanagerId);
    }

    /** This silence, known in Alertmanager as {@code amId}. */
    public Silence withAlertmanagerId(String amId) {
        return new Silence(id, matchers, startsAt, endsAt, createdBy, comment, updatedAt, origin, amId);
    }

    /** This silence ending at {@code end} instead (changed at {@code now}). */
    public Silence withEnd(long end, long now) {
        return new Silence(id, matchers, startsAt, end, createdBy, comment, now, origin, alertmanagerId);
    }
}
