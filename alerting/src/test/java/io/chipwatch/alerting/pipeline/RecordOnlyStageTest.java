package io.chipwatch.alerting.pipeline;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Info alerts (a link wearing) reach no receiver, firing or resolved; warnings and criticals pass. */
class RecordOnlyStageTest {

    private static Alert alert(String fp, String severity, AlertStatus status) {
        return new Alert(fp, new TreeMap<>(Map.of("alertname", "X", "entity", fp, "severity", severity)),
                new TreeMap<>(), status, 0, 0, 1L, status == AlertStatus.RESOLVED ? 5L : null, 0, 0, List.of(),
                List.of(), 0, 0, null);
    }

    @Test
    void mustNotNotify_infoAlertsFiringOrResolved() {
        Alert wear = alert("wear", "info", AlertStatus.FIRING);
        Alert worn = alert("worn", "info", AlertStatus.RESOLVED);
        Alert lemon = alert("lemon", "warning", AlertStatus.FIRING);
        Alert hot = alert("hot", "critical", AlertStatus.RESOLVED);
        Batch b = new Batch("pager", "g", Map.of(), List.of(wear, worn, lemon, hot), null, 0);
        assertThat(new RecordOnlyStage().apply(b).alerts()).containsExactly(lemon, hot);
        assertThat(new RecordOnlyStage().apply(b.withAlerts(List.of(wear, worn))).isEmpty()).isTrue();
    }
}
