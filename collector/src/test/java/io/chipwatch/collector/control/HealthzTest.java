package io.chipwatch.collector.control;

import io.chipwatch.collector.metrics.CollectorMetrics;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector's liveness: its ticks, on a hand-moved clock, and what {@code /healthz} answers. */
class HealthzTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong nanos = new AtomicLong(5 * S);
    private final CollectorMetrics metrics = new CollectorMetrics(nanos::get);

    @Test
    void aCollectorIsStalledWhenItsTicksStopForFiveIntervalsOrItNeverTicks() {
        assertThat(metrics.stalled()).as("starting").isEmpty();
        nanos.addAndGet(61 * S);
        assertThat(metrics.stalled()).contains("no tick yet, 61 s after the start (limit 60 s)");

        metrics.expectTicksEvery(Duration.ofSeconds(1));
        metrics.onTick(8, 1_000_000, 0);
        nanos.addAndGet(9_900_000_000L);
        assertThat(metrics.stalled()).as("9.9 s after a tick, at 1 Hz (limit: at least 10 s)").isEmpty();
        nanos.addAndGet(100_000_000L);
        assertThat(metrics.stalled()).contains("no tick for 10.0 s (limit 10.0 s)");

        metrics.expectTicksEvery(Duration.ofSeconds(5));
        assertThat(metrics.stalled()).as("every 5 s: the limit is 5 intervals, 25 s").isEmpty();
        metrics.onTick(8, 1_000_000, 0);
        assertThat(metrics.stalled()).isEmpty();
    }

    @Test
    void healthzIs503NamingTheStallAndOkWhileTicking() throws Exception {
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, List.of(), metrics)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build();
            HttpResponse<String> ok = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok\n");

            metrics.onTick(8, 1_000_000, 0);
            nanos.addAndGet(12 * S);
            HttpResponse<String> stalled = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(stalled.statusCode()).isEqualTo(503);
            assertThat(stalled.body()).isEqualTo("stalled: no tick for 12.0 s (limit 10.0 s)\n");
        }
    }
}
