package io.chipwatch.alerting.silence;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Silences mute matching firing alerts between their start and end. */
class SilenceTest {
    private final MutableClock clock = new MutableClock();
    private final SilenceStore store = new SilenceStore(clock);
    private final SilenceStage stage = new SilenceStage(store);

    static Alert alert(String fp, String rack, AlertStatus status) {
        return new Alert(fp, new TreeMap<>(Map.of("alertname", "ChipOverheating", "rack", rack)), new TreeMap<>(),
                status, 0, 0, 1L, status == AlertStatus.RESOLVED ? 5L : null, 0, 0, List.of(), List.of(), 0, 0, null);
    }

    private Batch batch(Alert... alerts) {
        return new Batch("r", "g", Map.of(), List.of(alerts), null, clock.millis());
    }

    private long in(Duration d) {
        return clock.millis() + d.toMillis();
    }

    @Test
    void mustNotFire_aMatchingAlertWhileTheSilenceIsActive() {
        Silence s = store.create(List.of(Matcher.equal("rack", "p00-r01")), null, in(Duration.ofHours(1)), "bob",
                "maintenance");
        Alert muted = alert("a", "p00-r01", AlertStatus.FIRING);
        Alert other = alert("b", "p00-r02", AlertStatus.FIRING);
        assertThat(store.silencedBy(muted.labels())).containsExactly(s.id());
        assertThat(stage.apply(batch(muted, other)).alerts()).containsExactly(other);
    }

    @Test
    void mustFire_onceTheSilenceExpiresOrIsDeleted() {
        Silence s = store.create(List.of(Matcher.regex("rack", "p00-r0[1-3]")), null, in(Duration.ofMinutes(30)),
                "bob", "");
        Alert a = alert("a", "p00-r02", AlertStatus.FIRING);
        assertThat(stage.apply(batch(a)).isEmpty()).isTrue();
        clock.advance(Duration.ofMinutes(30));
        assertThat(s.state(clock.millis())).isEqualTo(Silence.State.EXPIRED);
        assertThat(stage.apply(batch(a)).alerts()).containsExactly(a);

        Silence s2 = store.create(List.of(Matcher.equal("rack", "p00-r02")), null, in(Duration.ofHours(1)), "", "");
        assertThat(stage.apply(batch(a)).isEmpty()).isTrue();
        assertThat(store.expire(s2.id()).orElseThrow().state(clock.millis())).isEqualTo(Silence.State.EXPIRED);
        assertThat(stage.apply(batch(a)).alerts()).containsExactly(a);
        assertThat(store.expire("nope")).isEmpty();
    }

    @Test
    void aFutureSilenceIsPendingAndMutesNothingYet() {
        Silence s = store.create(List.of(Matcher.equal("rack", "p00-r01")), in(Duration.ofMinutes(10)),
                in(Duration.ofHours(1)), "", "");
        Alert a = alert("a", "p00-r01", AlertStatus.FIRING);
        assertThat(s.state(clock.millis())).isEqualTo(Silence.State.PENDING);
        assertThat(stage.apply(batch(a)).alerts()).containsExactly(a);
        clock.advance(Duration.ofMinutes(10));
        assertThat(stage.apply(batch(a)).isEmpty()).isTrue();
    }

    @Test
    void resolvedAlertsPass() {
        store.create(List.of(Matcher.equal("rack", "p00-r01")), null, in(Duration.ofHours(1)), "", "");
        Alert resolved = alert("a", "p00-r01", AlertStatus.RESOLVED);
        assertThat(stage.apply(batch(resolved)).alerts()).containsExactly(resolved);
    }

    @Test
    void invalidSilencesAreRefusedWithAReason() {
        assertThatThrownBy(() -> store.create(List.of(), null, in(Duration.ofHours(1)), "", ""))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> store.create(List.of(Matcher.regex("rack", ".*")), null, in(Duration.ofHours(1)),
                "", "")).hasMessageContaining("every alert");
        assertThatThrownBy(() -> store.create(List.of(Matcher.equal("rack", "x")), null, clock.millis() - 1, "", ""))
                .hasMessageContaining("endsAt");
    }

    @Test
    void expiredSilencesArePrunedAfterRetention() {
        Silence s = store.create(List.of(Matcher.equal("rack", "x")), null, in(Duration.ofMinutes(1)), "", "");
        clock.advance(Duration.ofDays(2));
        assertThat(store.prune(Duration.ofDays(1))).extracting(Silence::id).containsExactly(s.id());
        assertThat(store.all()).isEmpty();
    }
}
