package io.chipwatch.cli.stack;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * What the services' own {@code /healthz} say, for {@code status}: up when it answers 200 (as before), with its
 * details: the alerting service's anomaly consumer ({@code {"status","checks":{"anomalyConsumer":{alive,
 * lastPollAgeMs, lag, caughtUp, failures, lastError}}}}, 503 when the thread is gone or has not polled for 60 s) and
 * the collector's ticks ({@code ok}, or 503 {@code stalled: ...}).
 */
public final class ServiceHealth {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceHealth() {
    }

    /** A line of {@code status}'s table: what a component's health says beyond up or down. */
    public interface Noted {
        /** The note; empty when there is nothing to say. */
        String note();
    }

    /**
     * The alerting service's liveness.
     *
     * @param state                {@code up} (its {@code /healthz} answered 200) or {@code down}
     * @param consumerAlive        the anomaly consumer's thread runs; null when not read
     * @param consumerLastPollAgeS seconds since its last completed poll
     * @param consumerLagRecords   records of {@code anomalies} it is behind; null until known
     * @param consumerCaughtUp     it has read what was published before the service started
     * @param consumerFailures     errors it retried since the start
     * @param consumerLastError    the last of them
     */
    public record Alerting(String state, Boolean consumerAlive, Double consumerLastPollAgeS, Long consumerLagRecords,
                           Boolean consumerCaughtUp, Long consumerFailures, String consumerLastError) implements Noted {
        @JsonIgnore
        @Override
        public String note() {
            if (consumerAlive == null) {
                return "";
            }
            if (!consumerAlive) {
                return "anomaly consumer thread gone";
            }
            String note = String.format(Locale.ROOT, "anomaly consumer polled %.0f s ago", consumerLastPollAgeS)
                    + (consumerLagRecords == null ? "" : String.format(Locale.ROOT, ", %,d behind", consumerLagRecords))
                    + (Boolean.FALSE.equals(consumerCaughtUp) ? ", catching up" : "");
            return consumerLastError == null ? note : note + ", last error: " + consumerLastError;
        }
    }

    /**
     * The collector's liveness.
     *
     * @param state  {@code up} (200) or {@code down}
     * @param detail what its {@code /healthz} said ({@code ok}, {@code stalled: no tick for 12.0 s (limit 10.0 s)}),
     *               null when it did not answer
     */
    public record Collector(String state, String detail) implements Noted {
        @JsonIgnore
        @Override
        public String note() {
            return detail == null || detail.equals("ok") ? "" : detail;
        }
    }

    /** The alerting service's health at {@code url} (null: not running). */
    public static Alerting alerting(String url) {
        HttpResponse<String> r = get(url);
        return r == null ? new Alerting(JobHealth.DOWN, null, null, null, null, null, null)
                : alerting(r.statusCode(), r.body());
    }

    /** The alerting service's health from its {@code /healthz} answer. */
    static Alerting alerting(int status, String body) {
        String state = status == 200 ? JobHealth.UP : JobHealth.DOWN;
        JsonNode c;
        try {
            c = JSON.readTree(body).path("checks").path("anomalyConsumer");
        } catch (IOException e) {
            return new Alerting(state, null, null, null, null, null, null);
        }
        if (!c.isObject()) {
            return new Alerting(state, null, null, null, null, null, null);
        }
        long lag = c.path("lag").asLong(-1);
        return new Alerting(state, c.path("alive").asBoolean(), c.path("lastPollAgeMs").asLong() / 1000.0,
                lag < 0 ? null : lag, c.path("caughtUp").asBoolean(), c.path("failures").asLong(),
                c.path("lastError").isTextual() ? c.path("lastError").asText() : null);
    }

    /** The collector's health at {@code url} (null: not running). */
    public static Collector collector(String url) {
        HttpResponse<String> r = get(url);
        return r == null ? new Collector(JobHealth.DOWN, null) : collector(r.statusCode(), r.body());
    }

    /** The collector's health from its {@code /healthz} answer. */
    static Collector collector(int status, String body) {
        return new Collector(status == 200 ? JobHealth.UP : JobHealth.DOWN, body.strip());
    }

    private static HttpResponse<String> get(String url) {
        if (url == null) {
            return null;
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
