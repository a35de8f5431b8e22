package io.chipwatch.cli.stack.supervise;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The component's alert as anomaly events: one open, one close, kept in order while Kafka does not answer. */
class KafkaComponentAlertsTest {
    private final List<Anomaly> published = new ArrayList<>();
    private boolean kafkaDown;
    private long now = 9_000;
    private int attempts;
    private final KafkaComponentAlerts alerts = new KafkaComponentAlerts(event -> {
        attempts++;
        if (kafkaDown) {
            throw new IllegalStateException("no broker");
        }
        published.add(event);
    }, () -> now, line -> { });

    @Test
    void anOutageIsOneTelemetrySilentAnomalyNamingTheComponentOpenedThenClosed() {
        alerts.down("alerting", 1_000, "alerting (pid 7) is down");
        alerts.down("alerting", 2_000, "again: ignored while open");
        alerts.up("alerting", 5_000);

        assertThat(published).hasSize(2);
        Anomaly open = published.get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.TELEMETRY_SILENT);
        assertThat(open.scope()).isEqualTo(Scope.SOURCE);
        assertThat(open.entity()).isEqualTo("alerting");
        assertThat(open.id()).isEqualTo("telemetry_silent:alerting:1000");
        assertThat(open.state()).isEqualTo(AnomalyState.OPEN);
        assertThat(open.detail()).isEqualTo("alerting (pid 7) is down");
        Anomaly closed = published.get(1);
        assertThat(closed.id()).isEqualTo(open.id());
        assertThat(closed.state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(closed.endMillis()).isEqualTo(5_000L);
    }

    @Test
    void aDeadStreamJobIsThePathWatchsLagAlert() {
        alerts.down("detection", 1_000, "detection (pid 7) is down");
        assertThat(published).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("pipeline_degraded:detection:1000");
            assertThat(a.scope()).isEqualTo(Scope.SOURCE);
            assertThat(a.severity()).isEqualTo(AnomalyType.PIPELINE_DEGRADED.defaultSeverity());
        });
    }

    @Test
    void eventsWaitInOrderWhileKafkaIsDownAndGoOutWhenItAnswers() {
        kafkaDown = true;
        alerts.down("kafka", 1_000, "kafka is down");
        alerts.up("kafka", 4_000);
        alerts.flush();
        assertThat(published).isEmpty();
        assertThat(alerts.pending()).isEqualTo(2);
        assertThat(attempts).as("one try, then a pause of %d ms", KafkaComponentAlerts.RETRY_MILLIS).isEqualTo(1);

        kafkaDown = false;
        now += KafkaComponentAlerts.RETRY_MILLIS - 1;
        alerts.flush();
        assertThat(published).isEmpty();
        now += 1;
        alerts.flush();
        assertThat(published).extracting(Anomaly::state).containsExactly(AnomalyState.OPEN, AnomalyState.CLOSED);
        assertThat(alerts.pending()).isZero();
        // Kafka's outage is the path watch's Kafka-unreachable alert (same type, entity and severity).
        assertThat(published.get(0).id()).isEqualTo("pipeline_degraded:kafka:1000");
        assertThat(published.get(0).severity()).isEqualTo(AnomalyType.PIPELINE_DEGRADED.defaultSeverity());
    }

    @Test
    void closingResolvesWhatIsStillOpen() {
        alerts.down("collector", 1_000, "collector is down");
        alerts.close();
        assertThat(published).hasSize(2);
        assertThat(published.get(1).state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(published.get(1).endMillis()).isEqualTo(9_000L);
        alerts.up("collector", 10_000);
        assertThat(published).hasSize(2);
    }
}
