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

    private void delivered(Batch b) {
        log.recordDelivered(b, Set.of("a", "b"), clock.millis());
    }

    @Test
    void mustFire_aFiringAlertTheReceiverHasNotHeardOf() {
        Batch out = stage.apply(batch(alert("a", AlertStatus.FIRING)));
        assertThat(out.reason()).isEqualTo(Batch.Reason.NEW);
        assertThat(out.alerts()).hasSize(1);
    }

    @Test
    void mustNotFire_theSameAlertTwice() {
        Batch first = stage.apply(batch(alert("a", AlertStatus.FIRING)));
        delivered(first);
        clock.advance(Duration.ofMinutes(30));
        assertThat(stage.apply(batch(alert("a", AlertStatus.FIRING))).isEmpty()).isTrue();
    }

    @Test
    void aNewAlertInTheGroupSendsTheWholeGroup() {
        delivered(stage.apply(batch(alert("a", AlertStatus.FIRING))));
        Batch out = stage.apply(batch(alert("a", AlertStatus.FIRING), alert("b", AlertStatus.FIRING)));
        assertThat(out.reason()).isEqualTo(Batch.Reason.NEW);
        assertThat(out.alerts()).extracting(Alert::fingerprint).containsExactly("a", "b");
    }

    @Test
    void mustFire_theResolutionOfWhatWasPagedOnce() {
        delivered(stage.apply(batch(alert("a", AlertStatus.FIRING))));
        Batch resolved = stage.apply(batch(alert("a", AlertStatus.RESOLVED)));
        assertThat(resolved.reason()).isEqualTo(Batch.Reason.RESOLVED);
        delivered(resolved);
        assertThat(log.get("webhook", "g")).isEmpty();
        assertThat(stage.apply(batch(alert("a", AlertStatus.RESOLVED))).isEmpty()).isTrue();
    }

    @Test
    void mustNotFire_aResolutionForWhatNeverPaged() {
        assertThat(stage.apply(batch(alert("a", AlertStatus.RESOLVED))).isEmpty()).isTrue();
    }

    @Test
    void repeatsAfterRepeatIntervalOnly() {
        delivered(stage.apply(batch(alert("a", AlertStatus.FIRING))));
        clock.advance(Duration.ofHours(4).minusSeconds(1));
        assertThat(stage.apply(batch(alert("a", AlertStatus.FIRING))).isEmpty()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        Batch repeat = stage.apply(batch(alert("a", AlertStatus.FIRING)));
        assertThat(repeat.reason()).isEqualTo(Batch.Reason.REPEAT);
        delivered(repeat);
        clock.advance(Duration.ofHours(1));
        assertThat(stage.apply(batch(alert("a", AlertStatus.FIRING))).isEmpty()).isTrue();
    }

    @Test
    void theLogIsPerReceiver() {
        delivered(stage.apply(batch(alert("a", AlertStatus.FIRING))));
        Batch other = new Batch("alertmanager", "g", Map.of(), List.of(alert("a", AlertStatus.FIRING)), null,
                clock.millis());
        assertThat(stage.apply(other).reason()).isEqualTo(Batch.Reason.NEW);
    }
}
