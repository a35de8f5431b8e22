package io.chipwatch.alerting.api;

import io.chipwatch.alerting.engine.AlertEngine;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Backoff;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.state.InMemoryStateStore;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.alerting.testing.RecordingReceiver;
import io.chipwatch.testsupport.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The API server's limits on a real socket: body size, and bodies that trickle in (a slow client holds no worker). */
class ApiServerLimitsTest {
    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final String SILENCE = "{\"matchers\":[{\"name\":\"chip\",\"value\":\"p00-r00-n00-c00\"}],"
            + "\"duration\":\"1h\",\"createdBy\":\"test\",\"comment\":\"limits\"}";
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private AlertingMetrics metrics;
    private Delivery delivery;
    private AlertEngine engine;
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new AlertingMetrics();
        delivery = new Delivery(List.of(new RecordingReceiver("webhook-1")), Backoff.DEFAULT, metrics, clock);
        engine = new AlertEngine(RulesLoader.loadDefaults(), clock, new InMemoryStateStore(), delivery,
                AlertEventSink.NONE, metrics, "http://alerting.test");
        engine.enableDispatch();
        server = new ApiServer("127.0.0.1", 0, TOKEN, engine.facade(), metrics, () -> Map.of(), clock);
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
        delivery.close();
    }

    private static String head(int length) {
        return "POST /api/silences HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n";
    }

    @Test
    void aSilenceIsCreatedAndABodyOver64KiBIs413() throws Exception {
        RawHttp.Answer created = RawHttp.send(server.port(), head(SILENCE.length()) + SILENCE);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String big = SILENCE.replace("limits", "x".repeat(70 * 1024));
        RawHttp.Answer tooBig = RawHttp.send(server.port(), head(big.length()) + big);
        assertThat(tooBig.status()).as(tooBig.text()).isEqualTo(413);
    }

    @Test
    void bodiesThatTrickleInAreCutOffAndTheServerKeepsAnswering() throws Exception {
        // More slow clients than the server has workers (4), each sending a byte every 100 ms.
        List<CompletableFuture<RawHttp.Answer>> slow = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.trickle(server.port(), head(SILENCE.length()), SILENCE, 100);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Thread.sleep(300);
        RawHttp.Answer health = RawHttp.send(server.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(health.status()).isEqualTo(200);
        for (CompletableFuture<RawHttp.Answer> f : slow) {
            RawHttp.Answer a = f.get(30, TimeUnit.SECONDS);
            assertThat(a.millis()).as("cut off long before the %d bytes at 10 bytes/s", SILENCE.length())
                    .isLessThan(SILENCE.length() * 100L / 2);
            assertThat(a.status()).as(a.text()).isIn(0, 408);
        }
    }
}
