package io.chipwatch.alerting.pathwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A stream job's Flink REST API as the probes read it ({@link CheckpointProbe}, {@link InfluxWriteProbe}): GETs
 * with short timeouts, an answer other than 200 an {@link IOException} naming the path, and the job it serves. A
 * session cluster ({@code up --cluster}) runs both stream jobs behind one REST API: the job is then told by its
 * Flink job name.
 */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDED = Set.of("FINISHED", "CANCELED", "FAILED");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String rest;
    private final String jobName;

    /**
     * @param restUrl the REST API's base URL, e.g. {@code http://127.0.0.1:8081} (a trailing slash is dropped)
     * @param jobName the Flink job name of the job watched, e.g. {@code chipwatch-aggregation}; null: the REST API
     *                serves one job, whatever its name
     */
    FlinkRest(String restUrl, String jobName) {
        this.rest = restUrl.replaceAll("/+$", "");
        this.jobName = jobName;
    }

    String url() {
        return rest;
    }

    /**
     * The id of the job watched among those {@code /jobs/overview} lists that have not ended: the one of its name,
     * else the only one (a job submitted under another name on a REST API of its own). Several others, or none: an
     * {@link IOException} (it cannot tell which; a job that is not running is its supervisor's alert).
     */
    String runningJobId() throws IOException, InterruptedException {
        List<JsonNode> running = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if (!ENDED.contains(job.path("state").asText())) {
                if (job.path("name").asText().equals(jobName)) {
                    return job.path("jid").asText();
                }
                running.add(job);
            }
        }
        if (running.size() == 1) {
            return running.get(0).path("jid").asText();
        }
        throw new IOException(rest + " lists " + (running.isEmpty() ? "no running job"
                : running.size() + " running jobs, " + (jobName == null ? "no job name to tell which is watched"
                : "none named " + jobName)));
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
