package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The calls the CLI makes to a Flink session cluster's REST API: the two that submit a job as a jar (upload, run:
 * the same two docker-compose's {@code flink-submit.sh} makes with curl), and the reads that tell whether a job of a
 * given name runs and whether a TaskManager registered.
 */
public final class FlinkRest {
    /** The states of a job that is neither finished nor failed for good. */
    static final Set<String> ACTIVE = Set.of("CREATED", "INITIALIZING", "RUNNING", "RESTARTING", "RECONCILING");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkRest() {
    }

    /** Uploads a job jar ({@code POST /jars/upload}); returns its id on the cluster. */
    static String upload(String rest, Path jar) throws IOException, InterruptedException {
        String boundary = "chipwatch-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), "uploading " + jar);
        String file = answer.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** Runs an uploaded jar's {@code entryClass} with {@code args} ({@code POST /jars/ID/run}); returns the job id. */
    static String run(String rest, String jarId, String entryClass, List<String> args)
            throws IOException, InterruptedException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("entryClass", entryClass);
        request.put("programArgsList", args);
        JsonNode answer = send(HttpRequest.newBuilder(URI.create(rest + "/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))), "running " + entryClass);
        return answer.path("jobid").asText();
    }

    /** Deletes an uploaded jar ({@code DELETE /jars/ID}); the job keeps running. */
    static void delete(String rest, String jarId) throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/jars/" + jarId)).DELETE()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** The state of job {@code jobId} ({@code RUNNING}...), empty when the cluster does not answer. */
    static Optional<String> jobState(String rest, String jobId) {
        return get(rest + "/jobs/" + jobId).map(j -> j.path("state").asText());
    }

    /**
     * The state of the newest job named {@code name} that is not finished or failed for good (the
     * {@link #ACTIVE} states), else empty; empty too when the cluster does not answer.
     */
    public static Optional<String> activeJobState(String rest, String name) {
        if (rest == null) {
            return Optional.empty();
        }
        return get(rest + "/jobs/overview").flatMap(o -> {
            for (JsonNode job : o.path("jobs")) {
                String state = job.path("state").asText();
                if (name.equals(job.path("name").asText()) && ACTIVE.contains(state)) {
                    return Optional.of(state);
                }
            }
            return Optional.empty();
        });
    }

    /** True when job {@code name} is RUNNING on the cluster at {@code rest}. */
    public static boolean jobRunning(String rest, String name) {
        return activeJobState(rest, name).filter("RUNNING"::equals).isPresent();
    }

    /** True when the cluster lists a TaskManager with this resource id. */
    public static boolean taskManagerRegistered(String rest, String resourceId) {
        if (rest == null) {
            return false;
        }
        return get(rest + "/taskmanagers").map(o -> {
            for (JsonNode tm : o.path("taskmanagers")) {
                if (resourceId.equals(tm.path("id").asText())) {
                    return true;
                }
            }
            return false;
        }).orElse(false);
    }

    /** A GET of {@code url} read as JSON; empty for no answer, not 200, or no usable URL. */
    static Optional<JsonNode> get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static JsonNode send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(what + " failed: HTTP " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
