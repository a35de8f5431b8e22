package io.chipwatch.alerting.history;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A storm in the history stays one line per alert name, and each name's entries come a page at a time. */
class ResolvedHistoryTest {
    private static Alert resolved(String alertname, String entity, long end) {
        return new Alert(alertname + "/" + entity, new TreeMap<>(Map.of("alertname", alertname, "entity", entity,
                "severity", "critical")), new TreeMap<>(), AlertStatus.RESOLVED, end - 1_000, end - 1_000,
                end - 1_000, end, end - 1_000, end, List.of(), List.of(), Double.NaN, Double.NaN, null);
    }

    @Test
    void groupsByAlertNameWithCountsLatestFirstAndPagesEachName() {
        ResolvedHistory history = new ResolvedHistory();
        for (int i = 0; i < 1_250; i++) {
            history.add(resolved("NodeDown", "p00-r00-n" + i, 10_000 + i));
        }
        history.add(resolved("ChipOverheating", "p01-r01-n01-c01", 5_000));
        history.add(resolved("LinkDegraded", "l-1", 20_000));

        List<ResolvedHistory.Group> groups = history.groups();
        assertThat(groups).extracting(ResolvedHistory.Group::alertname)
                .containsExactly("LinkDegraded", "NodeDown", "ChipOverheating");
        assertThat(groups).extracting(ResolvedHistory.Group::count).containsExactly(1, 1_250, 1);
        assertThat(groups.get(1).latest().labels().get("entity")).isEqualTo("p00-r00-n1249");

        List<Alert> second = history.list("NodeDown", 20, 20);
        assertThat(second).hasSize(20).extracting(a -> a.labels().get("entity"))
                .startsWith("p00-r00-n1229").endsWith("p00-r00-n1210");
        assertThat(history.list("NodeDown", 1_240, 20)).hasSize(10);
        assertThat(history.list("ChipOverheating", 0, 20)).singleElement()
                .satisfies(a -> assertThat(a.alertname()).isEqualTo("ChipOverheating"));
        assertThat(history.list(null, 0, 2)).extracting(Alert::alertname).containsExactly("LinkDegraded", "NodeDown");
        assertThat(history.list(3)).hasSize(3);
    }
}
