package io.chipwatch.collector.source;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.Fact;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SourceDownTrackerTest {
    private static final SourceDownTracker.Location N7 = new SourceDownTracker.Location("p00-r00-n07", "p00-r00", "p00");

    @Test
    void opensOnceAfterTheLimitAndClosesWhenTheSourceAnswers() {
        SourceDownTracker t = new SourceDownTracker(Duration.ofSeconds(10));
        String src = "http://10.0.0.7:9400/metrics";
        assertThat(t.onReading(src, N7, false, SourceProblem.TIMEOUT, "x", 100_000)).isEmpty();
        assertThat(t.onReading(src, N7, false, SourceProblem.TIMEOUT, "x", 109_999)).isEmpty();
        List<Anomaly> open = t.onReading(src, N7, false, SourceProblem.TIMEOUT, "x", 110_000);
        assertThat(open).hasSize(1);
        Anomaly a = open.get(0);
        assertThat(a.id()).isEqualTo("telemetry_silent:" + src + ":100000");
        assertThat(a.tags()).containsEntry("node", "p00-r00-n07").containsEntry("rack", "p00-r00")
                .containsEntry("pod", "p00");
        assertThat(a.fact(Fact.SILENT_S)).hasValue(10.0);
        assertThat(a.fact(Fact.SILENCE_LIMIT_S)).hasValue(10.0);
        assertThat(t.onReading(src, N7, false, SourceProblem.TIMEOUT, "x", 111_000)).as("once").isEmpty();
        assertThat(t.down()).isEqualTo(1);
        List<Anomaly> closed = t.onReading(src, N7, true, null, "", 115_000);
        assertThat(closed).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(a.id());
            assertThat(c.endMillis()).isEqualTo(115_000L);
        });
        assertThat(t.down()).isZero();
    }

    @Test
    void anAnswerInBetweenRestartsTheCountAndARemovedSourceCloses() {
        SourceDownTracker t = new SourceDownTracker(Duration.ofSeconds(10));
        t.onReading("s", N7, false, SourceProblem.UNREACHABLE, "connection refused", 0);
        t.onReading("s", N7, true, null, "", 5_000);
        assertThat(t.onReading("s", N7, false, SourceProblem.UNREACHABLE, "connection refused", 12_000)).isEmpty();
        assertThat(t.onReading("s", N7, false, SourceProblem.UNREACHABLE, "connection refused", 22_000)).hasSize(1);
        assertThat(t.retain(Set.of("other"), 30_000)).singleElement().satisfies(c -> assertThat(c.isOpen()).isFalse());
        assertThat(t.down()).isZero();
    }
}
