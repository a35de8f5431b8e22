package io.chipwatch.alerting.amsync;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.amsync.AlertmanagerSilences.AmSilence;
import io.chipwatch.alerting.silence.Silence;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Chipwatch marks the silences it makes in Alertmanager (a tag at the end of the comment, which Alertmanager
 * keeps and shows) and reads them back: {@code [chipwatch silence ID]} for a copy of silence ID,
 * {@code [chipwatch ack FINGERPRINT@ACKMILLIS]} for the silence of an acknowledgement.
 */
final class SyncTags {
    private static final Pattern SILENCE_TAG = Pattern.compile("\\[chipwatch silence ([0-9A-Za-z-]{1,64})]");
    private static final Pattern ACK_TAG = Pattern.compile("\\[chipwatch ack ([0-9a-f]{1,16}@[0-9]{1,19})]");

    private SyncTags() {
    }

    static Optional<String> silenceId(String comment) {
        Matcher m = SILENCE_TAG.matcher(comment);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Optional<String> ackKey(String comment) {
        Matcher m = ACK_TAG.matcher(comment);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** One acknowledgement of one alert: its fingerprint and when it was acknowledged. */
    static String ackKey(Alert acknowledged) {
        return acknowledged.fingerprint() + "@" + acknowledged.acknowledgement().atMillis();
    }

    /** The comment of a silence's copy in Alertmanager. */
    static String silenceComment(String comment, String id) {
        return (comment.isBlank() ? "Silenced in Chipwatch" : comment) + " [chipwatch silence " + id + "]";
    }

    /** The comment of an acknowledgement's silence: who acknowledged, their note, the tag. */
    static String ackComment(Alert a) {
        String note = a.acknowledgement().comment();
        return "Acknowledged in Chipwatch by " + a.acknowledgement().by() + (note.isBlank() ? "" : ": " + note)
                + " [chipwatch ack " + ackKey(a) + "]";
    }

    /** An Alertmanager silence as a silence here: same id, origin Alertmanager. */
    static Silence imported(AmSilence a) {
        return new Silence(a.id(), a.matchers(), a.startsAt(), a.endsAt(), a.createdBy(), a.comment(), a.updatedAt(),
                Silence.Origin.ALERTMANAGER, a.id());
    }

    /** Whether an imported silence still says what its original says. */
    static boolean sameContent(Silence s, AmSilence a) {
        return s.matchers().equals(a.matchers()) && s.startsAt() == a.startsAt() && s.endsAt() == a.endsAt()
                && s.createdBy().equals(a.createdBy()) && s.comment().equals(a.comment());
    }
}
