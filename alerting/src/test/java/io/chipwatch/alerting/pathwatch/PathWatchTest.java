package io.chipwatch.alerting.pathwatch;

import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Problems to anomalies: opened once, closed when the probe stops reporting them, kept when it cannot tell. */
class PathWatchTest {
    private static final long T0 = 1_767_225_600_000L;
    private final MutableClock clock = new MutableClock(T0);
    private final List<Anomaly> ingested = new ArrayList<>();
    private List<PathProblem> reported = List.of();
    private boolean cannotTell;

    private final PathProbe probe = now -> {
        if (cannotTell) {
            throw new IllegalStateException("no answer");
        }
        return reported;
    };

    private PathWatch watch(List<Anomaly> adopted) {
        return new PathWatch(List.of(probe), batch -> {
            ingested.addAll(batch);
            return CompletableFuture.completedFuture(null);
        }, adopted, clock);
    }

    private static PathProblem kafka(long since) {
        return new PathProblem("kafka", Severity.CRITICAL, since, "Kafka at k:9092 has not answered for 15 s",
                Map.of(Fact.FAILING_S, 15.0, Fact.FAILING_LIMIT_S, 15.0));
    }

    @Test
    void aProblemOpensOneAnomalyNamingTheComponentAndClosesWhenItIsGone() {
        PathWatch w = watch(List.of());
        w.check();
        assertThat(ingested).isEmpty();

        reported = List.of(kafka(T0 - 15_000));
        w.check();
        clock.advance(Duration.ofSeconds(5));
        w.check();
        assertThat(ingested).hasSize(1);
        Anomaly a = ingested.get(0);
        assertThat(a.type()).isEqualTo(AnomalyType.PIPELINE_DEGRADED);
        assertThat(a.entity()).isEqualTo("kafka");
        assertThat(a.id()).isEqualTo("pipeline_degraded:kafka:" + (T0 - 15_000));
        assertThat(a.value()).isEqualTo(15.0);
        assertThat(a.threshold()).isEqualTo(15.0);
        assertThat(a.fact(Fact.FAILING_S)).hasValue(15.0);

        cannotTell = true;
        clock.advance(Duration.ofSeconds(5));
        w.check();
        assertThat(ingested).as("the probe cannot tell: kept open").hasSize(1);

        cannotTell = false;
        reported = List.of();
        clock.advance(Duration.ofSeconds(5));
        w.check();
        assertThat(ingested).hasSize(2);
        assertThat(ingested.get(1).state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(ingested.get(1).id()).isEqualTo(a.id());
        assertThat(ingested.get(1).endMillis()).isEqualTo(clock.millis());
        assertThat(w.open()).isEmpty();
    }

    @Test
    void anAnomalyAdoptedFromBeforeARestartIsKeptWhileItsProblemLastsAndClosedAfter() {
        List<Anomaly> adopted = PathWatch.adopt(List.of("pipeline_degraded:detection:123", "chip_down:c:5",
                "pipeline_degraded:bad"), T0);
        assertThat(adopted).extracting(Anomaly::entity, Anomaly::startMillis).containsExactly(
                tuple("detection", 123L));
        PathWatch w = watch(adopted);
        reported = List.of(new PathProblem("detection", Severity.CRITICAL, T0, "behind", Map.of()));
        w.check();
        assertThat(ingested).as("already open: not raised again with a new start").isEmpty();
        reported = List.of();
        w.check();
        assertThat(ingested).extracting(Anomaly::id, Anomaly::state)
                .containsExactly(tuple("pipeline_degraded:detection:123",
                        AnomalyState.CLOSED));
    }
}
