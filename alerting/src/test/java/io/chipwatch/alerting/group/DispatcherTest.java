package io.chipwatch.alerting.group;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.rules.RouteSettings;
import io.chipwatch.alerting.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Grouping by labels; group_wait, then group_interval, with an injected clock. */
class DispatcherTest {
    private final MutableClock clock = new MutableClock();
    private final Dispatcher dispatcher = new Dispatcher(new RouteSettings(List.of("alertname", "rack"),
            Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofHours(4)));

    static Alert alert(String fp, String alertname, String rack, String chip) {
        return new Alert(fp, new TreeMap<>(Map.of("alertname", alertname, "rack", rack, "chip", chip)),
                new TreeMap<>(), AlertStatus.FIRING, 0, 0, 1L, null, 0, 0, List.of(), List.of(), 0, 0, null);
    }

    @Test
    void alertsWithTheSameGroupLabelsShareAGroup() {
        AggregationGroup g1 = dispatcher.add(alert("a", "ChipOverheating", "p00-r01", "c1"), clock.millis());
        AggregationGroup g2 = dispatcher.add(alert("b", "ChipOverheating", "p00-r01", "c2"), clock.millis());
        AggregationGroup g3 = dispatcher.add(alert("c", "ChipOverheating", "p00-r02", "c3"), clock.millis());
        assertThat(g1).isSameAs(g2);
        assertThat(g3).isNotSameAs(g1);
        assertThat(g1.key()).isEqualTo("{}:{alertname=\"ChipOverheating\", rack=\"p00-r01\"}");
        assertThat(g1.labels()).isEqualTo(Map.of("alertname", "ChipOverheating", "rack", "p00-r01"));
        assertThat(g1.fingerprints()).containsExactly("a", "b");
    }

    @Test
    void aRulesOwnGroupWaitOverridesTheRoutesForGroupsOfItsAlert() {
        Dispatcher d = new Dispatcher(new RouteSettings(List.of("alertname", "rack"), Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofHours(4)).withGroupWaits(Map.of("ChipDown", Duration.ZERO)));
        AggregationGroup down = d.add(alert("a", "ChipDown", "r", "c"), clock.millis());
        AggregationGroup hot = d.add(alert("b", "ChipOverheating", "r", "c"), clock.millis());
        assertThat(d.due(clock.millis())).containsExactly(down);
        clock.advance(Duration.ofSeconds(2));
        assertThat(d.due(clock.millis())).containsExactly(down, hot);
    }

    @Test
    void aNewGroupWaitsGroupWaitThenFlushesEveryGroupInterval() {
        AggregationGroup g = dispatcher.add(alert("a", "X", "r", "c"), clock.millis());
        clock.advance(Duration.ofMillis(1999));
        assertThat(dispatcher.due(clock.millis())).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(dispatcher.due(clock.millis())).containsExactly(g);
        dispatcher.flushed(g, clock.millis());
        assertThat(g.flushedOnce()).isTrue();
        // Another alert joining the group waits for the next interval, not group_wait.
        clock.advance(Duration.ofSeconds(1));
        dispatcher.add(alert("b", "X", "r", "c2"), clock.millis());
        assertThat(dispatcher.due(clock.millis())).isEmpty();
        clock.advance(Duration.ofSeconds(9));
        assertThat(dispatcher.due(clock.millis())).containsExactly(g);
    }

    @Test
    void emptyGroupsGo() {
        dispatcher.add(alert("a", "X", "r", "c"), clock.millis());
        dispatcher.remove("a");
        assertThat(dispatcher.groups()).isEmpty();
        assertThat(dispatcher.groupOf("a")).isEmpty();
    }

    @Test
    void groupByAllMakesOneGroupPerAlert() {
        Dispatcher all = new Dispatcher(new RouteSettings(List.of("..."), Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofHours(1)));
        AggregationGroup g1 = all.add(alert("a", "X", "r", "c1"), 0);
        AggregationGroup g2 = all.add(alert("b", "X", "r", "c2"), 0);
        assertThat(g1).isNotSameAs(g2);
        assertThat(all.due(0)).hasSize(2);
    }
}
