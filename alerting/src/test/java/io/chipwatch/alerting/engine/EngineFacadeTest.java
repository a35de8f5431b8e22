package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertNotFoundException;
import io.chipwatch.alerting.alert.AlertResolvedException;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Backoff;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.DeliveryException;
import io.chipwatch.alerting.notify.Notification;
import io.chipwatch.alerting.notify.Receiver;
import io.chipwatch.alerting.rules.RouteSettings;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.silence.InvalidSilenceException;
import io.chipwatch.alerting.state.InMemoryStateStore;
import io.chipwatch.alerting.state.StateCodec;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API's facade names its failures, persists its commands; keepalives re-send what a receiver was told. */
class EngineFacadeTest {
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final Duration KEEPALIVE = Duration.ofMinutes(1);
    private static final String CHIP = "p00-r01-n02-c03";

    private final MutableClock clock = new MutableClock();
    private final InMemoryStateStore state = new InMemoryStateStore();
    private final List<List<String>> keepalives = new CopyOnWriteArrayList<>();
    private Delivery delivery;
    private AlertEngine engine;
    private EngineFacade facade;

    /** Takes every notification; wants a keepalive every minute, like Alertmanager. */
    private final Receiver alertmanagerLike = new Receiver() {
        @Override
        public String name() {
            return "am";
        }

        @Override
        public void send(Notification notification) {
        }

        @Override
        public Optional<Duration> keepaliveInterval() {
            return Optional.of(KEEPALIVE);
        }

        @Override
        public void keepalive(Collection<Alert> firing, String externalUrl) throws DeliveryException {
            keepalives.add(firing.stream().map(a -> a.labels().getOrDefault("chip", a.alertname())).toList());
        }
    };

    @BeforeEach
    void start() {
        AlertingMetrics metrics = new AlertingMetrics();
        delivery = new Delivery(List.of(alertmanagerLike), Backoff.DEFAULT, metrics, clock);
        engine = new AlertEngine(RulesLoader.loadDefaults().withRoute(new RouteSettings(List.of("alertname", "entity"),
                WAIT, Duration.ofSeconds(5), Duration.ofHours(4))), clock, state, delivery, AlertEventSink.NONE,
                metrics, "http://alerting.test");
        engine.restore(StateCodec.restore(state.load()));
        engine.enableDispatch();
        facade = engine.facade();
    }

    @AfterEach
    void stop() {
        engine.close();
        delivery.close();
    }

    private String fire(Anomaly anomaly) throws Exception {
        engine.ingest(List.of(anomaly)).get();
        return facade.activeAlerts(false).get(0).alert().fingerprint();
    }

    @Test
    void commandsNameTheirFailures() throws Exception {
        assertThatThrownBy(() -> facade.acknowledge("0123456789abcdef", "alice", ""))
                .isInstanceOf(AlertNotFoundException.class).hasMessageContaining("0123456789abcdef");
        assertThatThrownBy(() -> facade.unacknowledge("0123456789abcdef")).isInstanceOf(AlertNotFoundException.class);
        assertThatThrownBy(() -> facade.createSilence(List.of(Matcher.equal("node", "n")), null,
                clock.millis() - 1, "bob", "")).isInstanceOf(InvalidSilenceException.class)
                .hasMessageContaining("endsAt");

        Anomaly down = Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis());
        String fp = fire(down);
        engine.ingest(List.of(down.close(clock.millis()))).get();
        assertThatThrownBy(() -> facade.acknowledge(fp, "alice", "")).isInstanceOf(AlertResolvedException.class)
                .hasMessageContaining("resolved");
    }

    @Test
    void commandsArePersistedAndCounted() throws Exception {
        String fp = fire(Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis()));
        facade.acknowledge(fp, "alice", "on it");
        String silence = facade.createSilence(List.of(Matcher.equal("node", "p00-r01-n09")), null,
                clock.millis() + 60_000, "bob", "").id();

        assertThat(StateCodec.decode(state.load().get(StateCodec.ALERT + fp), Alert.class).acknowledgement().by())
                .isEqualTo("alice");
        assertThat(state.load()).containsKey(StateCodec.SILENCE + silence);
        EngineFacade.Summary summary = facade.summary();
        assertThat(summary.firing()).isEqualTo(1);
        assertThat(summary.silencesActive()).isEqualTo(1);
        assertThat(summary.groups()).isEqualTo(1);
        assertThat(summary.dispatching()).isTrue();
        assertThat(facade.expireSilence(silence)).hasValueSatisfying(s -> assertThat(s.id()).isEqualTo(silence));
        assertThat(facade.summary().silencesActive()).isZero();
    }

    @Test
    void aReceiverThatWantsKeepalivesHearsOfItsFiringAlertsEveryInterval() throws Exception {
        fire(Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis()));
        clock.advance(WAIT);
        engine.tickNow();
        Await.until("the page", Duration.ofSeconds(5), engine::idle);
        clock.advance(KEEPALIVE.minusSeconds(1));
        engine.tickNow();
        engine.sync();
        // The keepalive is sent on the delivery thread: wait for it rather than for the engine alone.
        Await.until("the first keepalive", Duration.ofSeconds(5), () -> !keepalives.isEmpty());
        assertThat(keepalives).as("at the first tick the Watchdog heartbeat alone; the firing alerts one interval "
                + "after").containsExactly(List.of("Watchdog"));
        clock.advance(Duration.ofSeconds(1));
        engine.tickNow();
        Await.until("a keepalive", Duration.ofSeconds(5), () -> keepalives.size() == 2);
        assertThat(keepalives.get(1)).containsExactly("Watchdog", CHIP);
    }

    @Test
    void afterAnAlertmanagerRestartTheKeepaliveGoesOutAtTheNextTickNotAtTheEndOfItsInterval() throws Exception {
        fire(Anomalies.chip(AnomalyType.CHIP_DOWN, CHIP, clock.millis()));
        clock.advance(WAIT);
        engine.tickNow();
        Await.until("the page and the first Watchdog", Duration.ofSeconds(5),
                () -> engine.idle() && keepalives.size() == 1);
        clock.advance(Duration.ofSeconds(5));
        engine.tickNow();
        engine.sync();
        assertThat(keepalives).as("5 s into a 1-minute interval: nothing more").hasSize(1);

        engine.resendKeepalives();
        engine.tickNow();
        Await.until("the keepalive asked for", Duration.ofSeconds(5), () -> keepalives.size() == 2);
        assertThat(keepalives.get(1)).as("the Watchdog and the firing alert").containsExactly("Watchdog", CHIP);
        clock.advance(Duration.ofSeconds(5));
        engine.tickNow();
        engine.sync();
        assertThat(keepalives).as("then every interval again, from the resend").hasSize(2);
    }
}
