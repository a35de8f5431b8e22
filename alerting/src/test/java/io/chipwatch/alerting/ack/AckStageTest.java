package io.chipwatch.alerting.ack;

import io.chipwatch.alerting.alert.Acknowledgement;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Acknowledged alerts are not repeated; changes still go out. */
class AckStageTest {
    private final MutableClock clock = new MutableClock();
    private final AckStage stage = new AckStage();

    private Alert alert(String fp, boolean acked) {
        Alert a = new Alert(fp, new TreeMap<>(Map.of("alertname", "X", "entity", fp)), new TreeMap<>(),
                AlertStatus.FIRING, 0, 0, 1L, null, 0, 0, List.of(), List.of(), 0, 0, null);
        return acked ? a.withAcknowledgement(new Acknowledgement("alice", clock.millis(), ""), clock.millis()) : a;
    }

    private Batch batch(Batch.Reason reason, Alert... alerts) {
        return new Batch("r", "g", Map.of(), List.of(alerts), reason, clock.millis());
    }

    @Test
    void mustNotFire_aRepeatOfOnlyAcknowledgedAlerts() {
        assertThat(stage.apply(batch(Batch.Reason.REPEAT, alert("a", true))).isEmpty()).isTrue();
    }

    @Test
    void mustFire_aRepeatOfTheUnacknowledgedOnes() {
        Alert open = alert("b", false);
        assertThat(stage.apply(batch(Batch.Reason.REPEAT, alert("a", true), open)).alerts()).containsExactly(open);
    }

    @Test
    void mustFire_aChangeEvenWhenAcknowledgedAlertsAreInTheGroup() {
        Batch b = batch(Batch.Reason.NEW, alert("a", true), alert("b", false));
        assertThat(stage.apply(b).alerts()).hasSize(2);
        assertThat(stage.apply(batch(Batch.Reason.RESOLVED, alert("a", true))).alerts()).hasSize(1);
    }
}
