package io.chipwatch.cli.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.alerting.api.AlertView;
import io.chipwatch.alerting.api.SilenceView;
import io.chipwatch.cli.failure.CliFailure;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The alerting service's HTTP API as the {@code alerts} verbs use it (alerting/README.md, "HTTP API and page"):
 * bearer token, JSON bodies; the API's records ({@link AlertView}, {@link SilenceView}) are read back as they are.
 * A failure is a {@link CliFailure} naming the API's reason and the service's log.
 */
final class AlertingClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private final String baseUrl;
    private final String token;
    private final Path log;

    /** @param log the service's log, named in failures (null: none known) */
    AlertingClient(String baseUrl, String token, Path log) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.token = token;
        this.log = log;
    }

    List<AlertView> alerts() {
        return call("GET", "/api/alerts", null, new TypeReference<>() { });
    }

    AlertView acknowledge(String fingerprint, String by, String comment) {
        return call("POST", "/api/alerts/" + path(fingerprint) + "/ack", Map.of("by", by, "comment",
                comment == null ? "" : comment), new TypeReference<>() { });
    }

    AlertView unacknowledge(String fingerprint) {
        return call("DELETE", "/api/alerts/" + path(fingerprint) + "/ack", null, new TypeReference<>() { });
    }

    List<SilenceView> silences() {
        return call("GET", "/api/silences", null, new TypeReference<>() { });
    }

    SilenceView silence(List<String> matchers, String duration, String by, String comment) {
        return call("POST", "/api/silences", Map.of("matchers", matchers, "duration", duration, "createdBy", by,
                "comment", comment == null ? "" : comment), new TypeReference<>() { });
    }

    SilenceView expire(String id) {
        return call("DELETE", "/api/silences/" + path(id), null, new TypeReference<>() { });
    }

    private <T> T call(String method, String path, Object body, TypeReference<T> type) {
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliFailure("the alerting service at " + baseUrl + " does not answer (" + e + "); is it up? "
                    + "./telemetry status", log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while calling the alerting service", null, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new CliFailure("the alerting service answered " + response.statusCode() + ": " + reason(response)
                    + (response.statusCode() == 401 ? " (wrong token? see --token-file)" : ""),
                    response.statusCode() >= 500 ? log : null, null);
        }
        try {
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new CliFailure("unexpected answer from the alerting service at " + baseUrl + path + ": "
                    + e.getMessage(), log, e);
        }
    }

    private static String reason(HttpResponse<String> response) {
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (IOException e) {
            // not the API's error JSON: show the start of the body
        }
        String body = response.body().strip();
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
