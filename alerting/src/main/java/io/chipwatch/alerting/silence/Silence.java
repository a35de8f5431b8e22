package io.chipwatch.alerting.silence;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chipwatch.alerting.alert.Matcher;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A silence: alerts whose labels match all matchers are not notified between {@code startsAt} and
 * {@code endsAt} (epoch ms). Deleting a silence expires it (its end becomes now), as in Alertmanager.
 */
public record Silence(String id, List<Matcher> matchers, long startsAt, long endsAt, String createdBy,
                      String comment, long updatedAt) {

    /** Where a silence is in its life. */
    public enum State {
        PENDING, ACTIVE, EXPIRED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Silence {
        matchers = List.copyOf(matchers);
        createdBy = createdBy == null ? "" : createdBy;
        comment = comment == null ? "" : comment;
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
        return new Silence(id, matchers, Math.min(startsAt, end), end, createdBy, comment, now);
    }
}
