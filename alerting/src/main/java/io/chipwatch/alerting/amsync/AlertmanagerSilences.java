package io.chipwatch.alerting.amsync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chipwatch.alerting.alert.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Alertmanager's silences through its API v2: {@code GET /api/v2/silences}, {@code POST /api/v2/silences} (create,
 * or update when the body has an id), {@code DELETE /api/v2/silence/{id}} (expire). Every call is bounded by the
 * timeouts; any failure (no answer, not 2xx, a body that does not parse) is an {@link IOException}.
 */
public final class AlertmanagerSilences {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerSilences.class);

    private final Set<String> unusable = ConcurrentHashMap.newKeySet();
    private final URI base;
    private final HttpClient client;
    private final Duration timeout;

    /** @param baseUrl Alertmanager's base URL (API v2 under it) */
    public AlertmanagerSilences(URI baseUrl, Duration timeout) {
        String b = baseUrl.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        this.timeout = timeout;
    }

    /** A silence as Alertmanager shows it (GettableSilence); times in epoch ms. */
    public record AmSilence(String id, List<Matcher> matchers, long startsAt, long endsAt, long updatedAt,
                            String createdBy, String comment, String state) {
        public AmSilence {
            matchers = List.copyOf(matchers);
            createdBy = createdBy == null ? "" : createdBy;
            comment = comment == null ? "" : comment;
        }

        public boolean expired() {
            return "expired".equals(state);
        }
    }

    /** What Alertmanager takes (PostableSilence); {@code id} null: a new silence. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PostableSilence(@JsonProperty("id") String id, @JsonProperty("matchers") List<Matcher> matchers,
                                  @JsonProperty("startsAt") String startsAt, @JsonProperty("endsAt") String endsAt,
                                  @JsonProperty("createdBy") String createdBy,
                                  @JsonProperty("comment") String comment) {
        public PostableSilence(String id, List<Matcher> matchers, long startsAt, long endsAt, String createdBy,
                               String comment) {
            this(id, matchers, Instant.ofEpochMilli(startsAt).toString(), Instant.ofEpochMilli(endsAt).toString(),
                    createdBy == null || createdBy.isBlank() ? "chipwatch" : createdBy, comment);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Gettable(String id, List<RawMatcher> matchers, String startsAt, String endsAt, String updatedAt,
                            String createdBy, String comment, Status status) {
    }

    /** A matcher as read, turned into a {@link Matcher} per silence (one we cannot use skips only its silence). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record RawMatcher(String name, String value, Boolean isRegex, Boolean isEqual) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Status(String state) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Created(String silenceID) {
    }

    /**
     * Every silence Alertmanager holds (expired ones until its retention forgets them), but those with a matcher
     * Chipwatch cannot apply (a regular expression Java does not take), which are logged once.
     */
    public List<AmSilence> list() throws IOException {
        String body = send(HttpRequest.newBuilder(base.resolve("api/v2/silences")).GET());
        List<Gettable> all = JSON.readValue(body, new TypeReference<>() {
        });
        List<AmSilence> silences = new ArrayList<>(all.size());
        for (Gettable g : all) {
            List<Matcher> matchers = new ArrayList<>();
            try {
                for (RawMatcher m : g.matchers() == null ? List.<RawMatcher>of() : g.matchers()) {
                    matchers.add(new Matcher(m.name(), m.value(), m.isRegex(), m.isEqual()));
                }
            } catch (IllegalArgumentException e) {
                if (unusable.add(g.id())) {
                    LOG.warn("Alertmanager silence {} is not imported: {}", g.id(), e.getMessage());
                }
                continue;
            }
            silences.add(new AmSilence(g.id(), matchers, millis(g.startsAt()), millis(g.endsAt()),
                    millis(g.updatedAt()), g.createdBy(), g.comment(), g.status() == null ? "" : g.status().state()));
        }
        return silences;
    }

    /** Creates (or, with an id, updates) a silence; returns its id (a new one when Alertmanager replaced it). */
    public String post(PostableSilence silence) throws IOException {
        String body = send(HttpRequest.newBuilder(base.resolve("api/v2/silences"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(silence))));
        String id = JSON.readValue(body, Created.class).silenceID();
        if (id == null || id.isBlank()) {
            throw new IOException(base + "api/v2/silences answered without a silenceID: " + body);
        }
        return id;
    }

    /** Expires a silence. */
    public void expire(String id) throws IOException {
        send(HttpRequest.newBuilder(base.resolve("api/v2/silence/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                .DELETE());
    }

    private String send(HttpRequest.Builder request) throws IOException {
        HttpRequest r = request.timeout(timeout).header("User-Agent", "chipwatch-alerting").build();
        HttpResponse<String> response;
        try {
            response = client.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(r.method() + " " + r.uri() + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException(r.method() + " " + r.uri() + ": " + e, e);
        }
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new IOException(r.method() + " " + r.uri() + " answered HTTP " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text)));
        }
        return response.body();
    }

    private static long millis(String rfc3339) throws IOException {
        if (rfc3339 == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw new IOException("\"" + rfc3339 + "\" is not an RFC 3339 time", e);
        }
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
