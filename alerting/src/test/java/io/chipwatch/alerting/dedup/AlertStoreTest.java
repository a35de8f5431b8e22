package io.chipwatch.alerting.dedup;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.rules.AlertFactory;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.chipwatch.alerting.dedup.IngestResult.Outcome.DUPLICATE;
import static io.chipwatch.alerting.dedup.IngestResult.Outcome.FIRING;
import static io.chipwatch.alerting.dedup.IngestResult.Outcome.MERGED;
import static io.chipwatch.alerting.dedup.IngestResult.Outcome.PENDING;
import static io.chipwatch.alerting.dedup.IngestResult.Outcome.RESOLVED;
import static io.chipwatch.alerting.dedup.IngestResult.Outcome.STILL_OPEN;
import static io.chipwatch.alerting.dedup.IngestResult.Outcome.UNMATCHED;
import static org.assertj.core.api.Assertions.assertThat;

/** Anomaly events to alert lifecycle: firing, resolved, stable fingerprint, duplicates dropped. */
class AlertStoreTest {
    private static final String CHIP = "p00-r01-n02-c03";
    private final MutableClock clock = new MutableClock();
    private final AlertStore store = new AlertStore(new AlertFactory(RulesLoader.parse("""
            rules:
              - type: stuck_sensor
                alert: SensorStuck
                for: 30s
                annotations: {summary: "stuck {{chip}}"}
              - type: chip_down
                alert: ChipDown
                annotations: {summary: "down {{chip}}"}
            """, "test")), clock);

    @Test
    void anOpenAnomalyFiresAtOnceWithoutForAndResolvesWhenItCloses() {
        Anomaly open = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis() - 2000);
        IngestResult r = store.apply(open);
        assertThat(r.outcome()).isEqualTo(FIRING);
        Alert alert = r.after();
        assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(alert.startsAt()).isEqualTo(open.startMillis());
        assertThat(alert.fingerprint()).matches("[0-9a-f]{16}");
        assertThat(alert.labels()).containsEntry("alertname", "ChipDown").containsEntry("chip", CHIP);

        clock.advance(Duration.ofSeconds(5));
        IngestResult closed = store.apply(open.close(clock.millis()));
        assertThat(closed.outcome()).isEqualTo(RESOLVED);
        assertThat(closed.after().status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(closed.after().endsAt()).isEqualTo(clock.millis());
        assertThat(closed.after().fingerprint()).isEqualTo(alert.fingerprint());
        assertThat(closed.after().hasFired()).isTrue();
    }

    @Test
    void redeliveredEventsAreDuplicatesAndChangeNothing() {
        Anomaly open = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        store.apply(open);
        assertThat(store.apply(open).outcome()).isEqualTo(DUPLICATE);
        store.apply(open.close(clock.millis() + 1000));
        // A replay after a restart: open and close again.
        assertThat(store.apply(open).outcome()).isEqualTo(DUPLICATE);
        assertThat(store.apply(open.close(clock.millis() + 1000)).outcome()).isEqualTo(DUPLICATE);
        assertThat(store.withStatus(AlertStatus.RESOLVED)).hasSize(1);
        assertThat(store.withStatus(AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void twoAnomaliesOfTheSameProblemAreOneAlertThatResolvesWithTheLast() {
        Anomaly first = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        Anomaly second = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis() + 500);
        assertThat(first.id()).isNotEqualTo(second.id());
        String fp = store.apply(first).after().fingerprint();
        IngestResult merged = store.apply(second);
        assertThat(merged.outcome()).isEqualTo(MERGED);
        assertThat(merged.after().fingerprint()).isEqualTo(fp);
        assertThat(store.apply(first.close(clock.millis() + 1000)).outcome()).isEqualTo(STILL_OPEN);
        assertThat(store.get(fp).orElseThrow().isFiring()).isTrue();
        assertThat(store.apply(second.close(clock.millis() + 2000)).outcome()).isEqualTo(RESOLVED);
    }

    @Test
    void forKeepsTheAlertPendingUntilItElapses() {
        Anomaly stuck = Anomalies.chip(AnomalyType.STUCK_SENSOR, CHIP, clock.millis());
        assertThat(store.apply(stuck).outcome()).isEqualTo(PENDING);
        clock.advance(Duration.ofSeconds(29));
        assertThat(store.promote()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.promote()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
            assertThat(a.firingAt()).isEqualTo(clock.millis());
        });
    }

    @Test
    void mustNotFire_anAnomalyThatClosesWithinFor() {
        Anomaly glitch = Anomalies.chip(AnomalyType.STUCK_SENSOR, CHIP, clock.millis());
        store.apply(glitch);
        clock.advance(Duration.ofSeconds(10));
        IngestResult closed = store.apply(glitch.close(clock.millis()));
        assertThat(closed.outcome()).isEqualTo(RESOLVED);
        assertThat(closed.after().hasFired()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.promote()).isEmpty();
    }

    @Test
    void aLateOpenEventFiresAtOnceWhenItsStartIsLongerAgoThanFor() {
        Anomaly old = Anomalies.chip(AnomalyType.STUCK_SENSOR, CHIP, clock.millis() - 60_000);
        assertThat(store.apply(old).outcome()).isEqualTo(FIRING);
    }

    @Test
    void aCloseForAnUnknownAnomalyIsUnmatched() {
        Anomaly never = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        assertThat(store.apply(never.close(clock.millis() + 5)).outcome()).isEqualTo(UNMATCHED);
        assertThat(store.size()).isZero();
    }

    @Test
    void theFingerprintIsStableAcrossOccurrencesAndDiffersBetweenProblems() {
        Anomaly a = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        String fp = store.apply(a).after().fingerprint();
        store.apply(a.close(clock.millis() + 10));
        Anomaly again = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis() + 60_000);
        IngestResult reopened = store.apply(again);
        assertThat(reopened.outcome()).isEqualTo(FIRING);
        assertThat(reopened.after().fingerprint()).isEqualTo(fp);
        assertThat(reopened.after().acknowledgement()).isNull();
        String other = store.apply(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c04", clock.millis()))
                .after().fingerprint();
        assertThat(other).isNotEqualTo(fp);
    }

    @Test
    void acknowledgingAndPruning() {
        Anomaly a = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        String fp = store.apply(a).after().fingerprint();
        Alert acked = store.acknowledge(fp, "alice", "on it");
        assertThat(acked.acknowledgement().by()).isEqualTo("alice");
        assertThat(acked.isAcknowledged()).isTrue();
        store.apply(a.close(clock.millis()));
        clock.advance(Duration.ofHours(2));
        assertThat(store.pruneResolved(clock.millis() - 3_600_000, x -> true)).isEmpty();
        assertThat(store.pruneResolved(clock.millis() - 3_600_000, x -> false)).hasSize(1);
        assertThat(store.size()).isZero();
    }
}
