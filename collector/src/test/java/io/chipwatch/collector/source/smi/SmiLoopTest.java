package io.chipwatch.collector.source.smi;

import io.chipwatch.collector.source.SourceDownTracker;
import io.chipwatch.collector.source.SourceMetrics;
import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.sample.ChipSample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SmiLoopTest {
    private static final SourceDownTracker.Location NODE = new SourceDownTracker.Location("p00-r00-n07", "p00-r00", "p00");

    @Test
    void standardInputIsReadToItsEndRoundByRound() {
        InputStream stdin = new ByteArrayInputStream("""
                0, GPU-a, 90, 60, 300.5
                1, GPU-b, 80, 61, 290
                0, GPU-a, 91, 62, 301
                1, GPU-b, [N/A], 61, 290
                """.getBytes(StandardCharsets.UTF_8));
        SourceMetrics metrics = new SourceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        List<ChipSample> samples = new CopyOnWriteArrayList<>();
        List<Anomaly> events = new CopyOnWriteArrayList<>();
        List<Long> ticks = new CopyOnWriteArrayList<>();
        new SmiLoop("-", stdin, NODE, 1000, Duration.ofSeconds(10), metrics, samples::add, events::add,
                (ts, nanos, skipped) -> ticks.add(ts)).run();
        assertThat(samples).extracting(ChipSample::chip)
                .containsExactly("p00-r00-n07-c00", "p00-r00-n07-c01", "p00-r00-n07-c00");
        assertThat(samples.get(1).powerW()).isEqualTo(290.0);
        assertThat(samples).allMatch(s -> s.rack().equals("p00-r00") && s.pod().equals("p00") && s.links().isEmpty());
        assertThat(ticks).hasSize(2);
        assertThat(metrics.problems(SourceProblem.NAN)).isEqualTo(1);
        assertThat(metrics.chips()).containsKeys("p00-r00-n07-c00", "p00-r00-n07-c01");
        assertThat(metrics.chips().get("p00-r00-n07-c01").uuid()).isEqualTo("GPU-b");
        assertThat(events).isEmpty();
    }

    @Test
    void aCommandIsRunAndItsSilenceIsASourceDownEvent() throws Exception {
        SourceMetrics metrics = new SourceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        List<ChipSample> samples = new CopyOnWriteArrayList<>();
        List<Anomaly> events = new CopyOnWriteArrayList<>();
        SmiLoop loop = new SmiLoop("printf '0, GPU-a, 1, 2, 3\\n0, GPU-a, 4, 5, 6\\n'; sleep 30", null, NODE, 100,
                Duration.ofMillis(300), metrics, samples::add, events::add, (ts, nanos, skipped) -> { });
        Thread t = new Thread(loop);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (events.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        loop.stop();
        t.join(TimeUnit.SECONDS.toMillis(15));
        assertThat(t.isAlive()).isFalse();
        assertThat(samples).extracting(ChipSample::util).startsWith(1.0);
        assertThat(events).first().satisfies(a -> {
            assertThat(a.isOpen()).isTrue();
            assertThat(a.entity()).isEqualTo("nvidia-smi:p00-r00-n07");
            assertThat(a.tags()).containsEntry("node", "p00-r00-n07");
        });
        assertThat(metrics.problems(SourceProblem.TIMEOUT)).isPositive();
    }
}
