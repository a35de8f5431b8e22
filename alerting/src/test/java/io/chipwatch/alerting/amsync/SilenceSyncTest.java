package io.chipwatch.alerting.amsync;

import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.engine.AlertEngine;
import io.chipwatch.alerting.engine.EngineFacade;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Backoff;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.alerting.state.InMemoryStateStore;
import io.chipwatch.alerting.state.StateCodec;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.FakeAlertmanager;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Silences and acknowledgements are one set with Alertmanager's silences (a fake of its API v2): both directions,
 * no loops, Alertmanager down loses nothing.
 */
class SilenceSyncTest {
    private static final String CHIP = "p00-r01-n02-c03";

    private final MutableClock clock = new MutableClock();
    private final InMemoryStateStore state = new InMemoryStateStore();
    private final AlertingMetrics metrics = new AlertingMetrics();
    private FakeAlertmanager am;
    private Delivery delivery;
    private AlertEngine engine;
    private EngineFacade facade;
    private SilenceSync sync;

    @BeforeEach
    void start() throws Exception {
        am = new FakeAlertmanager(clock);
        delivery = new Delivery(List.of(), Backoff.DEFAULT, metrics, clock);
        engine = new AlertEngine(RulesLoader.loadDefaults(), clock, state, delivery, AlertEventSink.NONE, metrics,
                "http://alerting.test");
        engine.restore(StateCodec.restore(state.load()));
        facade = engine.facade();
        sync = new SilenceSync(new AlertmanagerSilences(URI.create(am.url()), Duration.ofSeconds(2)), facade, metrics,
                clock);
    }

    @AfterEach
    void stop() {
        sync.close();
        engine.close();
        delivery.close();
        am.close();
    }

    private String fire(Anomaly anomaly) throws Exception {
        engine.ingest(List.of(anomaly)).get();
        return facade.activeAlerts(false).get(0).alert().fingerprint();
    }

    private Silence local(String id) {
        return facade.silence(id).orElseThrow();
    }

    @Test
    void aSilenceMadeHereIsMadeInAlertmanagerOnceAndExpiredThereWhenExpiredHere() {
        String id = facade.createSilence(List.of(Matcher.equal("node", "p00-r01-n02")), null,
                clock.millis() + 3_600_000, "bob", "swap the fan").id();

        assertThat(sync.round()).isTrue();
        assertThat(am.live()).singleElement().satisfies(s -> {
            assertThat(s.equalities()).isEqualTo(Map.of("node", "p00-r01-n02"));
            assertThat(s.createdBy).isEqualTo("bob");
            assertThat(s.comment).isEqualTo("swap the fan [chipwatch silence " + id + "]");
            assertThat(s.endsAt).isEqualTo(clock.millis() + 3_600_000);
        });
        String amId = am.live().get(0).id;
        assertThat(local(id).alertmanagerId()).isEqualTo(amId);

        // It comes back from every poll: never imported, never made twice.
        assertThat(sync.round()).isTrue();
        assertThat(sync.round()).isTrue();
        assertThat(am.posts()).isEqualTo(1);
        assertThat(facade.silences()).hasSize(1);

        facade.expireSilence(id);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sync.round()).isTrue();
        assertThat(am.live()).isEmpty();
        assertThat(local(id).state(clock.millis())).isEqualTo(Silence.State.EXPIRED);
    }

    @Test
    void aSilenceMadeInAlertmanagerIsImportedMutesHereAndEndsWhenExpiredThere() throws Exception {
        String fp = fire(Anomalies.chip(AnomalyType.OVERHEAT, CHIP, clock.millis()));
        String amId = am.add("chip", CHIP, clock.millis() + 600_000, "carol", "bench test");

        assertThat(sync.round()).isTrue();
        Silence imported = local(amId);
        assertThat(imported.origin()).isEqualTo(Silence.Origin.ALERTMANAGER);
        assertThat(imported.createdBy()).isEqualTo("carol");
        assertThat(imported.matchers()).containsExactly(Matcher.equal("chip", CHIP));
        assertThat(facade.alert(fp).orElseThrow().silencedBy()).containsExactly(amId);
        assertThat(sync.round()).isTrue();
        assertThat(facade.silences()).hasSize(1);
        assertThat(am.posts()).isZero();

        clock.advance(Duration.ofSeconds(1));
        am.expire(amId);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sync.round()).isTrue();
        assertThat(local(amId).state(clock.millis())).isEqualTo(Silence.State.EXPIRED);
        assertThat(facade.alert(fp).orElseThrow().silencedBy()).isEmpty();
    }

    @Test
    void expiringAnImportedSilenceHereExpiresItInAlertmanager() {
        String amId = am.add("rack", "p00-r01", clock.millis() + 600_000, "carol", "");
        sync.round();

        facade.expireSilence(amId);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sync.round()).isTrue();
        assertThat(am.live()).isEmpty();
        assertThat(am.posts()).isZero();
    }

    @Test
    void anAcknowledgementSilencesExactlyThatAlertInAlertmanagerUntilTakenBack() throws Exception {
        String fp = fire(Anomalies.chip(AnomalyType.OVERHEAT, CHIP, clock.millis()));
        Map<String, String> labels = facade.alert(fp).orElseThrow().alert().labels();
        facade.acknowledge(fp, "alice", "on it");

        assertThat(sync.round()).isTrue();
        assertThat(am.live()).singleElement().satisfies(s -> {
            assertThat(s.equalities()).isEqualTo(labels);
            assertThat(s.createdBy).isEqualTo("alice");
            assertThat(s.comment).startsWith("Acknowledged in Chipwatch by alice: on it [chipwatch ack " + fp + "@");
            assertThat(s.endsAt).isEqualTo(clock.millis() + SilenceSync.ACK_SPAN.toMillis());
        });
        // Not a silence of Chipwatch's: the alert is acknowledged here, not silenced.
        assertThat(facade.silences()).isEmpty();
        assertThat(sync.round()).isTrue();
        assertThat(am.posts()).isEqualTo(1);

        // Renewed in place when half of it is left.
        String ackSilence = am.live().get(0).id;
        clock.advance(SilenceSync.ACK_SPAN.dividedBy(2).plusMinutes(1));
        assertThat(sync.round()).isTrue();
        assertThat(am.live()).singleElement().satisfies(s -> {
            assertThat(s.id).isEqualTo(ackSilence);
            assertThat(s.endsAt).isEqualTo(clock.millis() + SilenceSync.ACK_SPAN.toMillis());
        });

        facade.unacknowledge(fp);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sync.round()).isTrue();
        assertThat(am.live()).isEmpty();
    }

    @Test
    void theAcknowledgementSilenceEndsWhenTheAlertResolves() throws Exception {
        Anomaly hot = Anomalies.chip(AnomalyType.OVERHEAT, CHIP, clock.millis());
        String fp = fire(hot);
        facade.acknowledge(fp, "alice", "");
        sync.round();
        assertThat(am.live()).singleElement().satisfies(s ->
                assertThat(s.comment).startsWith("Acknowledged in Chipwatch by alice [chipwatch ack " + fp + "@"));

        clock.advance(Duration.ofMinutes(1));
        engine.ingest(List.of(hot.close(clock.millis()))).get();
        assertThat(sync.round()).isTrue();
        assertThat(am.live()).isEmpty();
    }

    @Test
    void anAcknowledgementSilenceExpiredInAlertmanagerTakesTheAcknowledgementBack() throws Exception {
        String fp = fire(Anomalies.chip(AnomalyType.OVERHEAT, CHIP, clock.millis()));
        facade.acknowledge(fp, "alice", "");
        sync.round();
        clock.advance(Duration.ofMinutes(5));
        am.expire(am.live().get(0).id);
        clock.advance(Duration.ofSeconds(1));

        assertThat(sync.round()).isTrue();
        assertThat(facade.alert(fp).orElseThrow().alert().isAcknowledged()).isFalse();
        assertThat(am.posts()).isEqualTo(1);
    }

    @Test
    void alertmanagerDownLosesNothingAndTheNextRoundCatchesUp() {
        am.down = true;
        String id = facade.createSilence(List.of(Matcher.equal("node", "p00-r01-n02")), null,
                clock.millis() + 3_600_000, "bob", "").id();

        assertThat(sync.round()).isFalse();
        assertThat(local(id).alertmanagerId()).isNull();
        assertThat(local(id).isActive(clock.millis())).isTrue();
        assertThat(metrics.scrape()).contains("chipwatch_alerting_alertmanager_sync_up 0.0")
                .contains("chipwatch_alerting_alertmanager_sync_total{outcome=\"failure\"} 1.0");

        am.down = false;
        assertThat(sync.round()).isTrue();
        assertThat(am.live()).singleElement().satisfies(s ->
                assertThat(s.comment).isEqualTo("Silenced in Chipwatch [chipwatch silence " + id + "]"));
        assertThat(local(id).alertmanagerId()).isEqualTo(am.live().get(0).id);
        assertThat(metrics.scrape()).contains("chipwatch_alerting_alertmanager_sync_up 1.0");
    }

    @Test
    void aCopyMadeBeforeACrashIsAdoptedNotMadeTwice() {
        String id = facade.createSilence(List.of(Matcher.equal("node", "p00-r01-n02")), null,
                clock.millis() + 3_600_000, "bob", "").id();
        // As if a previous round created it and the service died before recording its id.
        String amId = am.add("node", "p00-r01-n02", clock.millis() + 3_600_000, "bob",
                "Silenced in Chipwatch [chipwatch silence " + id + "]");

        assertThat(sync.round()).isTrue();
        assertThat(local(id).alertmanagerId()).isEqualTo(amId);
        assertThat(am.posts()).isZero();
        assertThat(facade.silences()).hasSize(1);
    }

    @Test
    void theEngineLoopIsNeverWaitingOnAlertmanager() {
        // The API's commands return at once, whatever Alertmanager does; the sync runs on its own thread.
        am.down = true;
        sync.start(Duration.ofMillis(50));
        Silence s = facade.createSilence(List.of(Matcher.equal("node", "p00-r01-n02")), null,
                clock.millis() + 3_600_000, "bob", "");
        assertThat(facade.silence(s.id())).isPresent();
        am.down = false;
        Await.until("the silence in Alertmanager", Duration.ofSeconds(10), () -> am.live().size() == 1);
        assertThat(am.posts()).isEqualTo(1);
    }

    @Test
    void whatTheSyncRecordsNeverUndoesAnExpiryMadeMeanwhile() {
        String id = facade.createSilence(List.of(Matcher.equal("node", "p00-r01-n02")), null,
                clock.millis() + 3_600_000, "bob", "").id();
        facade.expireSilence(id);
        clock.advance(Duration.ofSeconds(1));

        facade.recordAlertmanagerId(id, "am-1");
        facade.moveSilenceEnd(id, clock.millis() + 7_200_000);
        assertThat(local(id).alertmanagerId()).isEqualTo("am-1");
        assertThat(local(id).state(clock.millis())).isEqualTo(Silence.State.EXPIRED);

        Silence theirs = new Silence("am-2", List.of(Matcher.equal("rack", "r1")), clock.millis(),
                clock.millis() + 60_000, "carol", "", clock.millis(), Silence.Origin.ALERTMANAGER, "am-2");
        facade.importSilence(theirs);
        facade.expireSilence("am-2");
        clock.advance(Duration.ofSeconds(1));
        facade.importSilence(theirs);
        assertThat(local("am-2").state(clock.millis())).isEqualTo(Silence.State.EXPIRED);
    }

    @Test
    void aSilenceWhoseMatchersCannotApplyHereIsLeftOutNotTheRound() {
        am.addRegex("node", "(?P<n>p00-r01-n0[0-9])", clock.millis() + 600_000, "carol"); // RE2 only
        String fine = am.addRegex("rack", "p00-r0[12]", clock.millis() + 600_000, "carol");

        assertThat(sync.round()).isTrue();
        assertThat(facade.silences()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(fine);
            assertThat(s.matches(Map.of("rack", "p00-r02"))).isTrue();
        });
    }
}
