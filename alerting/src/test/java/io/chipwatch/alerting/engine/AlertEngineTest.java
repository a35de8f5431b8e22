package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Backoff;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.Notification;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.rules.RouteSettings;
import io.chipwatch.alerting.rules.RuleSet;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.alerting.state.InMemoryStateStore;
import io.chipwatch.alerting.state.StateCodec;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.alerting.testing.RecordingReceiver;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline on one thread with an injected clock: anomalies in, notifications out; restarts on the same
 * state; retries while a receiver is down.
 */
class AlertEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration REPEAT = Duration.ofHours(1);
    private static final String CHIP = "p00-r01-n02-c03";

    private final MutableClock clock = new MutableClock();
    private final InMemoryStateStore state = new InMemoryStateStore();
    private final RecordingReceiver webhook = new RecordingReceiver("webhook-1");
    private final List<String> influx = new CopyOnWriteArrayList<>();
    private final RuleSet rules = RulesLoader.loadDefaults()
            .withRoute(new RouteSettings(List.of("alertname", "entity"), WAIT, INTERVAL, REPEAT));
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private AlertingMetrics metrics;
    private AlertEngine engine;

    private AlertEngine startEngine() {
        metrics = new AlertingMetrics();
        Delivery delivery = new Delivery(List.of(webhook), new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)),
                metrics, clock);
        AlertEventSink sink = new AlertEventSink() {
            @Override
            public void record(Alert alert, String status, long timeMillis) {
                influx.add(alert.alertname() + ":" + status);
            }

            @Override
            public void close() {
            }
        };
        AlertEngine e = new AlertEngine(rules, clock, state, delivery, sink, metrics, "http://alerting.test");
        e.restore(StateCodec.restore(state.load()));
        e.enableDispatch();
        toClose.add(delivery);
        toClose.add(e);
        engine = e;
        return e;
    }

    private void stopEngine() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
    }

    @AfterEach
    void tearDown() throws Exception {
        stopEngine();
    }

    private void ingest(Anomaly... anomalies) throws Exception {
        engine.ingest(List.of(anomalies)).get();
    }

    /** Moves time on and ticks, then waits until deliveries are done. */
    private void advance(Duration d) {
        clock.advance(d);
        engine.tickNow();
        Await.until("deliveries to finish", Duration.ofSeconds(5), engine::idle);
    }

    @Test
    void onePagePerProblemThenItsResolutionAndNothingElse() throws Exception {
        startEngine();
        Anomaly down = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        ingest(down);
        advance(WAIT.minusMillis(1));
        assertThat(webhook.received()).as("group_wait not over").isEmpty();
        advance(Duration.ofMillis(1));
        assertThat(webhook.received()).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo("firing");
            assertThat(n.reason()).isEqualTo(Batch.Reason.NEW);
            assertThat(n.alerts()).singleElement().satisfies(a -> assertThat(a.labels())
                    .containsEntry("alertname", "ChipDown").containsEntry("chip", CHIP));
        });
        for (int i = 0; i < 10; i++) {
            advance(INTERVAL);
        }
        assertThat(webhook.received()).as("never twice").hasSize(1);

        ingest(down.close(clock.millis()));
        advance(INTERVAL);
        assertThat(webhook.received()).hasSize(2);
        assertThat(webhook.received().get(1).status()).isEqualTo("resolved");
        for (int i = 0; i < 5; i++) {
            advance(INTERVAL);
        }
        assertThat(webhook.received()).hasSize(2);
        assertThat(influx).containsExactly("ChipDown:firing", "ChipDown:resolved");
        assertThat(engine.facade().resolvedHistory(10)).singleElement()
                .satisfies(a -> assertThat(a.labels()).containsEntry("chip", CHIP));
        assertThat(engine.facade().activeAlerts(false)).isEmpty();
        assertThat(metrics.scrape()).contains("chipwatch_alerting_notifications_total{outcome=\"success\",receiver=\"webhook-1\"} 2");
    }

    /** A wearing link (info) is on the page and in InfluxDB, never at a receiver; a repeat offender (warning) is. */
    @Test
    void mustNotFire_anInfoAlertButItIsListedAndRecorded() throws Exception {
        startEngine();
        Anomaly wear = Anomaly.builder().type(AnomalyType.LINK_WEAR).entity("L1").tag("link", "L1")
                .startMillis(clock.millis()).build();
        Anomaly lemon = Anomaly.builder().type(AnomalyType.LEMON).entity("p00-r01-n02").tag("node", "p00-r01-n02")
                .startMillis(clock.millis()).build();
        ingest(wear, lemon);
        for (int i = 0; i < 3; i++) {
            advance(INTERVAL);
        }
        assertThat(webhook.received()).singleElement().satisfies(n -> assertThat(n.alerts()).singleElement()
                .satisfies(a -> assertThat(a.labels()).containsEntry("alertname", "NodeRepeatOffender")
                        .containsEntry("severity", "warning")));
        assertThat(engine.facade().activeAlerts(false)).extracting(i -> i.alert().alertname())
                .containsExactlyInAnyOrder("LinkWearing", "NodeRepeatOffender");
        ingest(wear.close(clock.millis()));
        advance(INTERVAL);
        assertThat(webhook.received()).as("nor its resolution").hasSize(1);
        assertThat(influx).contains("LinkWearing:firing", "LinkWearing:resolved", "NodeRepeatOffender:firing");
    }

    @Test
    void aRestartAfterThePageDoesNotPageAgainAndStillDeliversTheResolution() throws Exception {
        startEngine();
        Anomaly down = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        ingest(down);
        advance(WAIT);
        assertThat(webhook.received()).hasSize(1);
        stopEngine();

        startEngine();
        ingest(down); // redelivered after the restart (offset not committed)
        for (int i = 0; i < 5; i++) {
            advance(INTERVAL);
        }
        assertThat(webhook.received()).as("no second page after restart").hasSize(1);
        assertThat(engine.facade().activeAlerts(false)).hasSize(1);

        ingest(down.close(clock.millis()));
        advance(INTERVAL);
        assertThat(webhook.received()).hasSize(2);
        assertThat(webhook.received().get(1).status()).isEqualTo("resolved");
    }

    @Test
    void aRestartBeforeThePageLosesNothing() throws Exception {
        startEngine();
        ingest(Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis()));
        stopEngine();
        startEngine();
        advance(WAIT);
        assertThat(webhook.received()).hasSize(1);
    }

    @Test
    void mustNotFire_chipAlertsOfANodeThatIsDownWithinGroupWait() throws Exception {
        startEngine();
        ingest(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c00", clock.millis()),
                Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c01", clock.millis()));
        clock.advance(Duration.ofMillis(400));
        ingest(Anomalies.node(AnomalyType.NODE_DOWN, "p00-r01-n02", clock.millis()));
        advance(WAIT);
        assertThat(webhook.received()).singleElement().satisfies(n ->
                assertThat(n.alerts()).extracting(Alert::alertname).containsExactly("NodeDown"));
        assertThat(engine.facade().activeAlerts(false)).hasSize(3);
        assertThat(engine.facade().activeAlerts(false)).filteredOn(i -> !i.inhibitedBy().isEmpty()).hasSize(2);
    }

    @Test
    void aReceiverThatIsDownIsRetriedUntilItTakesTheNotification() throws Exception {
        startEngine();
        webhook.setDown(true);
        ingest(Anomalies.chip(AnomalyType.OVERHEAT, CHIP, clock.millis()));
        clock.advance(WAIT);
        engine.tickNow();
        Await.until("several failed attempts", Duration.ofSeconds(5), () -> webhook.failures() >= 3);
        assertThat(engine.idle()).as("still being retried").isFalse();
        assertThat(metrics.scrape()).contains("chipwatch_alerting_notifications_pending{receiver=\"webhook-1\"} 1");
        webhook.setDown(false);
        Await.until("delivery", Duration.ofSeconds(5), () -> webhook.received().size() == 1);
        Await.until("idle", Duration.ofSeconds(5), engine::idle);
        advance(INTERVAL);
        assertThat(webhook.received()).hasSize(1);
        assertThat(metrics.scrape()).contains("chipwatch_alerting_notifications_total{outcome=\"failure\",receiver=\"webhook-1\"}")
                .contains("chipwatch_alerting_notifications_total{outcome=\"success\",receiver=\"webhook-1\"} 1");
    }

    @Test
    void anAlertThatResolvesBeforeAnyoneCouldBeToldIsDroppedVisibly() throws Exception {
        startEngine();
        webhook.setDown(true);
        Anomaly hot = Anomalies.chip(AnomalyType.OVERHEAT, CHIP, clock.millis());
        ingest(hot);
        clock.advance(WAIT);
        engine.tickNow();
        Await.until("a failed attempt", Duration.ofSeconds(5), () -> webhook.failures() >= 1);
        ingest(hot.close(clock.millis()));
        Await.until("the task to end", Duration.ofSeconds(5), engine::idle);
        webhook.setDown(false);
        advance(INTERVAL);
        assertThat(webhook.received()).isEmpty();
        assertThat(metrics.scrape()).contains("chipwatch_alerting_notifications_total{outcome=\"obsolete\",receiver=\"webhook-1\"} 1");
    }

    @Test
    void acknowledgedAlertsAreNotRepeatedOthersAre() throws Exception {
        startEngine();
        ingest(Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis()),
                Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c04", clock.millis()));
        advance(WAIT);
        assertThat(webhook.received()).hasSize(2);
        String fp = engine.facade().activeAlerts(false).stream().map(AlertInfo::alert)
                .filter(a -> a.labels().get("chip").equals(CHIP)).findFirst().orElseThrow().fingerprint();
        engine.facade().acknowledge(fp, "alice", "replacing the board");
        advance(REPEAT);
        assertThat(webhook.received()).as("only the unacknowledged one repeats").hasSize(3);
        assertThat(webhook.received().get(2).reason()).isEqualTo(Batch.Reason.REPEAT);
        assertThat(webhook.received().get(2).alerts()).singleElement()
                .satisfies(a -> assertThat(a.labels()).containsEntry("chip", "p00-r01-n02-c04"));
        assertThat(influx).contains("ChipDown:acknowledged");
    }

    @Test
    void silencedAlertsWaitForTheSilenceToEnd() throws Exception {
        startEngine();
        Silence s = engine.facade().createSilence(List.of(Matcher.equal("node", "p00-r01-n02")), null,
                clock.millis() + Duration.ofMinutes(10).toMillis(), "bob", "maintenance");
        ingest(Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis()));
        advance(WAIT);
        advance(INTERVAL);
        assertThat(webhook.received()).isEmpty();
        assertThat(engine.facade().activeAlerts(false)).singleElement()
                .satisfies(i -> assertThat(i.silencedBy()).containsExactly(s.id()));
        engine.facade().expireSilence(s.id());
        advance(INTERVAL);
        assertThat(webhook.received()).as("must fire once unsilenced").hasSize(1);
    }

    @Test
    void silencesAndAcknowledgementsSurviveARestart() throws Exception {
        startEngine();
        engine.facade().createSilence(List.of(Matcher.equal("node", "p00-r01-n09")), null,
                clock.millis() + Duration.ofMinutes(10).toMillis(), "bob", "");
        ingest(Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis()));
        advance(WAIT);
        String fp = engine.facade().activeAlerts(false).get(0).alert().fingerprint();
        engine.facade().acknowledge(fp, "alice", "");
        stopEngine();
        startEngine();
        assertThat(engine.facade().silences()).hasSize(1);
        assertThat(engine.facade().alert(fp).orElseThrow().alert().acknowledgement().by()).isEqualTo("alice");
        List<Notification> before = webhook.received();
        advance(REPEAT);
        assertThat(webhook.received()).isEqualTo(before);
    }
}
