package io.chipwatch.alerting.dedup;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.chipwatch.alerting.alert.AlertStatus.FIRING;
import static io.chipwatch.alerting.alert.AlertStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

/** The notification log decides: a receiver hears about each alert once, then its resolution, then repeats. */
class DedupStageTest {
    private final MutableClock clock = new MutableClock();
    private final NotificationLog log = new NotificationLog();
    private final DedupStage stage = new DedupStage(log, Duration.ofHours(4));

    static Alert alert(String fp, AlertStatus status) {
        return new Alert(fp, new TreeMap<>(Map.of("alertname", "ChipDown", "entity", fp)), new TreeMap<>(), status,
                0, 0, status == AlertStatus.PENDING ? null : 1L, status == AlertStatus.RESOLVED ? 2L : null, 0, 0,
                List.of(), List.of(), 0, 0, null);
    }

    private Batch batch(Alert... alerts) {
        return new Batch("webhook", "g", Map.of(), List.of(alerts), null, clock.millis());
    }

    /** The stage's output for a one-alert batch. */
    private Batch apply(String fingerprint, AlertStatus status) {
        return stage.apply(batch(alert(fingerprint, status)));
    }

    private static void sendsNothing(Batch out) {
        assertThat(out.isEmpty()).as("nothing to send").isTrue();
    }

    private void delivered(Batch b) {
        log.recordDelivered(b, Set.of("a", "b"), clock.millis());
    }

    @Test
    void mustFire_aFiringAlertTheReceiverHasNotHeardOf() {
        Batch out = apply("a", FIRING);
        assertThat(out.reason()).isEqualTo(Batch.Reason.NEW);
        assertThat(out.alerts()).hasSize(1);
    }

    @Test
    void mustNotFire_theSameAlertTwice() {
        delivered(apply("a", FIRING));
        clock.advance(Duration.ofMinutes(30));
        assertThat(apply("a", FIRING)).satisfies(DedupStageTest::sendsNothing);
    }

    @Test
    void aNewAlertInTheGroupSendsTheWholeGroup() {
        delivered(apply("a", FIRING));
        Batch out = stage.apply(batch(alert("a", FIRING), alert("b", FIRING)));
        assertThat(out.reason()).isEqualTo(Batch.Reason.NEW);
        assertThat(out.alerts()).extracting(Alert::fingerprint).containsExactly("a", "b");
    }

    @Test
    void mustFire_theResolutionOfWhatWasPagedOnce() {
        delivered(apply("a", FIRING));
        Batch resolved = apply("a", RESOLVED);
        assertThat(resolved.reason()).isEqualTo(Batch.Reason.RESOLVED);
        delivered(resolved);
        assertThat(log.get("webhook", "g")).isEmpty();
        assertThat(apply("a", RESOLVED)).satisfies(DedupStageTest::sendsNothing);
    }

    @Test
    void mustNotFire_aResolutionForWhatNeverPaged() {
        assertThat(apply("a", RESOLVED)).satisfies(DedupStageTest::sendsNothing);
    }

    @Test
    void repeatsAfterRepeatIntervalOnly() {
        delivered(apply("a", FIRING));
        clock.advance(Duration.ofHours(4).minusSeconds(1));
        assertThat(apply("a", FIRING)).satisfies(DedupStageTest::sendsNothing);
        clock.advance(Duration.ofSeconds(1));
        Batch repeat = apply("a", FIRING);
        assertThat(repeat.reason()).isEqualTo(Batch.Reason.REPEAT);
        delivered(repeat);
        clock.advance(Duration.ofHours(1));
        assertThat(apply("a", FIRING)).satisfies(DedupStageTest::sendsNothing);
    }

    @Test
    void theLogIsPerReceiver() {
        delivered(apply("a", FIRING));
        Batch other = new Batch("alertmanager", "g", Map.of(), List.of(alert("a", FIRING)), null,
                clock.millis());
        assertThat(stage.apply(other).reason()).isEqualTo(Batch.Reason.NEW);
    }
}
