package io.chipwatch.alerting.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Alertmanager's silence API v2 in memory, as Alertmanager 0.25 behaves: {@code GET /api/v2/silences} (with
 * {@code status.state} from the clock), {@code POST /api/v2/silences} (a new silence, start moved to now; with an
 * id, an update in place of an active silence's end and comment, else the old one expired and a new one made),
 * {@code DELETE /api/v2/silence/{id}} (expire: end and update time now; 404 unknown, 500 already expired). While
 * {@link #down} is set every call answers 503.
 */
public final class FakeAlertmanager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One silence; times in epoch ms. */
    public static final class Stored {
        public final String id;
        public final JsonNode matchers;
        public long startsAt;
        public long endsAt;
        public long updatedAt;
        public final String createdBy;
        public String comment;

        Stored(String id, JsonNode matchers, long startsAt, long endsAt, long updatedAt, String createdBy,
               String comment) {
            this.id = id;
            this.matchers = matchers;
            this.startsAt = startsAt;
            this.endsAt = endsAt;
            this.updatedAt = updatedAt;
            this.createdBy = createdBy;
            this.comment = comment;
        }

        public boolean expired(long now) {
            return now >= endsAt;
        }

        /** name=value of each equality matcher. */
        public Map<String, String> equalities() {
            Map<String, String> m = new LinkedHashMap<>();
            matchers.forEach(n -> m.put(n.get("name").asText(), n.get("value").asText()));
            return m;
        }
    }

    private final Clock clock;
    private final HttpServer server;
    private final Map<String, Stored> silences = new LinkedHashMap<>();
    public volatile boolean down;
    private int posts;

    public FakeAlertmanager(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v2/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What amtool would do: a silence made in Alertmanager; returns its id. */
    public synchronized String add(String name, String value, long endsAt, String createdBy, String comment) {
        ArrayNode m = JSON.createArrayNode();
        m.addObject().put("name", name).put("value", value).put("isRegex", false).put("isEqual", true);
        long now = clock.millis();
        Stored s = new Stored(UUID.randomUUID().toString(), m, now, endsAt, now, createdBy, comment);
        silences.put(s.id, s);
        return s.id;
    }

    /** A silence with one regular-expression matcher, as Alertmanager (Go's RE2) takes it; returns its id. */
    public synchronized String addRegex(String name, String regex, long endsAt, String createdBy) {
        ArrayNode m = JSON.createArrayNode();
        m.addObject().put("name", name).put("value", regex).put("isRegex", true).put("isEqual", true);
        long now = clock.millis();
        Stored s = new Stored(UUID.randomUUID().toString(), m, now, endsAt, now, createdBy, "");
        silences.put(s.id, s);
        return s.id;
    }

    /** Expires a silence as its UI's button does. */
    public synchronized void expire(String id) {
        Stored s = silences.get(id);
        long now = clock.millis();
        s.endsAt = now;
        s.updatedAt = now;
    }

    public synchronized List<Stored> all() {
        return new ArrayList<>(silences.values());
    }

    public synchronized List<Stored> live() {
        return silences.values().stream().filter(s -> !s.expired(clock.millis())).toList();
    }

    public synchronized int posts() {
        return posts;
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (down) {
                answer(ex, 503, "down");
                return;
            }
            String path = ex.getRequestURI().getPath();
            long now = clock.millis();
            if (path.equals("/api/v2/silences") && ex.getRequestMethod().equals("GET")) {
                ArrayNode list = JSON.createArrayNode();
                for (Stored s : silences.values()) {
                    ObjectNode n = list.addObject().put("id", s.id);
                    n.set("matchers", s.matchers);
                    n.put("startsAt", iso(s.startsAt)).put("endsAt", iso(s.endsAt)).put("updatedAt", iso(s.updatedAt))
                            .put("createdBy", s.createdBy).put("comment", s.comment);
                    n.putObject("status").put("state", s.expired(now) ? "expired"
                            : now < s.startsAt ? "pending" : "active");
                }
                answer(ex, 200, JSON.writeValueAsString(list));
            } else if (path.equals("/api/v2/silences") && ex.getRequestMethod().equals("POST")) {
                posts++;
                JsonNode body = JSON.readTree(ex.getRequestBody());
                long start = Instant.parse(body.get("startsAt").asText()).toEpochMilli();
                long end = Instant.parse(body.get("endsAt").asText()).toEpochMilli();
                String comment = body.get("comment").asText();
                if (body.hasNonNull("id")) {
                    Stored prev = silences.get(body.get("id").asText());
                    if (prev == null) {
                        answer(ex, 404, "not found");
                        return;
                    }
                    if (!prev.expired(now) && prev.matchers.equals(body.get("matchers")) && prev.startsAt == start) {
                        prev.endsAt = end;
                        prev.comment = comment;
                        prev.updatedAt = now;
                        answer(ex, 200, "{\"silenceID\":\"" + prev.id + "\"}");
                        return;
                    }
                    if (!prev.expired(now)) {
                        prev.endsAt = now;
                        prev.updatedAt = now;
                    }
                }
                Stored s = new Stored(UUID.randomUUID().toString(), body.get("matchers"), Math.max(start, now), end,
                        now, body.get("createdBy").asText(), comment);
                silences.put(s.id, s);
                answer(ex, 200, "{\"silenceID\":\"" + s.id + "\"}");
            } else if (path.startsWith("/api/v2/silence/") && ex.getRequestMethod().equals("DELETE")) {
                Stored s = silences.get(path.substring("/api/v2/silence/".length()));
                if (s == null) {
                    answer(ex, 404, "not found");
                } else if (s.expired(now)) {
                    answer(ex, 500, "silence already expired");
                } else {
                    s.endsAt = now;
                    s.updatedAt = now;
                    answer(ex, 200, "");
                }
            } else {
                answer(ex, 404, "no route");
            }
        }
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
