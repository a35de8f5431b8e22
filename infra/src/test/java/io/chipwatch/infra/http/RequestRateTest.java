package io.chipwatch.infra.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request rate limit: a token bucket on a hand-moved clock, and a real server answering 429 (one token every 4 s: the 4th request is refused however slow the machine). */
class RequestRateTest {
    @Test
    void aBurstIsTakenThenOneRequestPerRefill() {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        RequestRate rate = new RequestRate(2, 3, nanos::get);
        assertThat(List.of(rate.tryAcquire(), rate.tryAcquire(), rate.tryAcquire(), rate.tryAcquire()))
                .containsExactly(true, true, true, false);
        nanos.addAndGet(499_000_000L);
        assertThat(rate.tryAcquire()).as("0.998 of a token after 499 ms").isFalse();
        nanos.addAndGet(1_000_000L);
        assertThat(rate.tryAcquire()).as("a whole token after 500 ms at 2 a second").isTrue();
        nanos.addAndGet(60_000_000_000L);
        int taken = 0;
        while (rate.tryAcquire()) {
            taken++;
        }
        assertThat(taken).as("a minute idle refills the burst, no more").isEqualTo(3);
        assertThatThrownBy(() -> new RequestRate(0, 1, nanos::get)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aServerOverItsRateAnswers429WithRetryAfter() throws Exception {
        try (JsonHttpServer server = JsonHttpServer.builder("rate-test").bind("127.0.0.1", 0).requestRate(0.25, 3)
                .routes(r -> r.get("/x", ctx -> ctx.result("ok"))).start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/x")).build();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(http.send(get, HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(answers.subList(0, 3)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
            HttpResponse<String> refused = answers.get(3);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).as("a token every 4 s").contains("4");
            assertThat(refused.body()).contains("\"status\":429", "more than 0.25 requests a second (bursts of 3)");
        }
    }
}
