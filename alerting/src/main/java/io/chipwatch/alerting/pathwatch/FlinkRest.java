package io.chipwatch.alerting.pathwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * A stream job's Flink REST API as the probes read it ({@link CheckpointProbe}, {@link InfluxWriteProbe}): GETs
 * with short timeouts, an answer other than 200 an {@link IOException} naming the path, and the job it serves.
 */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDED = Set.of("FINISHED", "CANCELED", "FAILED");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String rest;

    /** @param restUrl the REST API's base URL, e.g. {@code http://127.0.0.1:8081} (a trailing slash is dropped) */
    FlinkRest(String restUrl) {
        this.rest = restUrl.replaceAll("/+$", "");
    }

    String url() {
        return rest;
    }

    /** The id of the first job {@code /jobs} lists that has not ended. */
    String runningJobId() throws IOException, InterruptedException {
        for (JsonNode job : get("/jobs").path("jobs")) {
            if (!ENDED.contains(job.path("status").asText())) {
                return job.path("id").asText();
            }
        }
        throw new IOException(rest + " lists no running job");
    }

    /** The JSON answer to {@code GET path}. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rest + path))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(rest + path + " answered HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    /** An empty JSON object, for an answer that could not be had. */
    static JsonNode empty() {
        return JSON.createObjectNode();
    }
}
