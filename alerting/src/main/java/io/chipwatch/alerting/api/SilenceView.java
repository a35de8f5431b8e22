package io.chipwatch.alerting.api;

import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.silence.Silence;

import java.util.List;

/**
 * A silence as the API shows it (the JSON of {@code /api/silences...}): times in RFC 3339, its state now, where it
 * was made ({@code chipwatch} or {@code alertmanager}) and its id in Alertmanager (null until it got there).
 */
public record SilenceView(String id, List<Matcher> matchers, String startsAt, String endsAt, String updatedAt,
                          String createdBy, String comment, String state, String origin, String alertmanagerId) {

    /** The view of {@code s} at {@code nowMillis}. */
    public static SilenceView of(Silence s, long nowMillis) {
        return new SilenceView(s.id(), s.matchers(), AlertView.iso(s.startsAt()), AlertView.iso(s.endsAt()),
                AlertView.iso(s.updatedAt()), s.createdBy(), s.comment(), s.state(nowMillis).label(),
                s.origin().label(), s.alertmanagerId());
    }
}
