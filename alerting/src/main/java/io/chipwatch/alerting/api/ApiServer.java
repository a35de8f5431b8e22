package io.chipwatch.alerting.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.engine.AlertInfo;
import io.chipwatch.alerting.engine.EngineFacade;
import io.chipwatch.alerting.rules.Durations;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.alerting.web.WebPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The HTTP API (JSON) and the on-call web page, on the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>Every {@code /api/} call and {@code /metrics} need {@code Authorization: Bearer <token>} (else 401); the page
 * itself ({@code /}, {@code /app.js}, {@code /app.css}) and {@code /healthz} hold no data and are open. Bad input
 * gets a 4xx with {@code {"error": "<reason>", "status": <code>}}.
 *
 * <pre>
 * GET    /api/alerts[?pending=true]     active (firing) alerts, most severe first
 * GET    /api/alerts/{fingerprint}      one alert (also resolved ones still remembered)
 * POST   /api/alerts/{fingerprint}/ack  acknowledge; body (optional) {"by": "...", "comment": "..."}
 * DELETE /api/alerts/{fingerprint}/ack  take the acknowledgement back
 * GET    /api/alerts/resolved[?limit=N] resolved history, newest first (default 100)
 * GET    /api/silences                  all silences (active, pending, recently expired)
 * POST   /api/silences                  {"matchers": [...], "endsAt" | "duration", "startsAt"?, "createdBy", "comment"}
 * GET    /api/silences/{id}
 * DELETE /api/silences/{id}             expire it
 * GET    /api/status                    counts, receivers' health, consumer state
 * GET    /metrics                       Prometheus text format
 * </pre>
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SILENCE_ID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] token;
    private final EngineFacade engine;
    private final AlertingMetrics metrics;
    private final Supplier<Map<String, Object>> status;
    private final Clock clock;
    private final WebPage page = new WebPage();

    /**
     * @param status extra fields for {@code /api/status} (receivers, consumer...)
     */
    public ApiServer(String bindAddress, int port, String token, EngineFacade engine, AlertingMetrics metrics,
                     Supplier<Map<String, Object>> status, Clock clock) throws IOException {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.engine = engine;
        this.metrics = metrics;
        this.status = status;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "alerting-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ----------------------------------------------------------------------------------------------- routing

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                if (path.equals("/healthz")) {
                    json(ex, 200, Map.of("status", "ok"));
                    return;
                }
                Optional<WebPage.Asset> asset = page.asset(path);
                if (asset.isPresent()) {
                    requireMethod(method, "GET", "HEAD");
                    send(ex, 200, asset.get().contentType(), asset.get().bytes(), asset.get().headers());
                    return;
                }
                if (!path.startsWith("/api/") && !path.equals("/metrics")) {
                    throw new ApiException(404, "no such page: " + path);
                }
                authorize(ex);
                if (path.equals("/metrics")) {
                    requireMethod(method, "GET");
                    send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
                    return;
                }
                route(ex, method, path.substring("/api".length()));
            } catch (ApiException e) {
                error(ex, e.status(), e.getMessage());
            } catch (IllegalArgumentException e) {
                error(ex, 400, e.getMessage());
            } catch (NoSuchElementException e) {
                error(ex, 404, e.getMessage());
            } catch (IllegalStateException e) {
                error(ex, 409, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", method, path, e);
                error(ex, 500, "internal error: " + e);
            }
        }
    }

    private void route(HttpExchange ex, String method, String path) throws IOException {
        List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
        Map<String, String> query = query(ex.getRequestURI());
        switch (parts.get(0)) {
            case "alerts" -> {
                if (parts.size() == 1) {
                    requireMethod(method, "GET");
                    boolean pending = Boolean.parseBoolean(query.getOrDefault("pending", "false"));
                    json(ex, 200, engine.activeAlerts(pending).stream().map(this::view).toList());
                } else if (parts.size() == 2 && parts.get(1).equals("resolved")) {
                    requireMethod(method, "GET");
                    json(ex, 200, engine.resolvedHistory(limit(query)).stream()
                            .map(a -> view(AlertInfo.of(a))).toList());
                } else if (parts.size() == 2) {
                    requireMethod(method, "GET");
                    String fp = fingerprint(parts.get(1));
                    json(ex, 200, view(engine.alert(fp).orElseThrow(() -> notFound(fp))));
                } else if (parts.size() == 3 && parts.get(2).equals("ack")) {
                    String fp = fingerprint(parts.get(1));
                    requireMethod(method, "POST", "DELETE");
                    if (method.equals("POST")) {
                        AckRequest req = body(ex, AckRequest.class, new AckRequest(null, null));
                        if (engine.alert(fp).isEmpty()) {
                            throw notFound(fp);
                        }
                        Alert acked = engine.acknowledge(fp, req.by(), req.comment());
                        json(ex, 200, view(engine.alert(acked.fingerprint()).orElseThrow()));
                    } else {
                        if (engine.alert(fp).isEmpty()) {
                            throw notFound(fp);
                        }
                        engine.unacknowledge(fp);
                        json(ex, 200, view(engine.alert(fp).orElseThrow()));
                    }
                } else {
                    throw new ApiException(404, "no such resource: /api" + path);
                }
            }
            case "history" -> {
                requireMethod(method, "GET");
                json(ex, 200, engine.resolvedHistory(limit(query)).stream()
                        .map(a -> view(AlertInfo.of(a))).toList());
            }
            case "silences" -> {
                if (parts.size() == 1) {
                    requireMethod(method, "GET", "POST");
                    if (method.equals("GET")) {
                        json(ex, 200, engine.silences().stream().map(this::view).toList());
                    } else {
                        json(ex, 201, view(createSilence(body(ex, SilenceRequest.class, null))));
                    }
                } else if (parts.size() == 2) {
                    String id = parts.get(1);
                    if (!SILENCE_ID.matcher(id).matches()) {
                        throw new ApiException(400, "\"" + id + "\" is not a silence id");
                    }
                    requireMethod(method, "GET", "DELETE");
                    Silence s = (method.equals("GET") ? engine.silence(id) : engine.expireSilence(id))
                            .orElseThrow(() -> new ApiException(404, "no silence with id " + id));
                    json(ex, 200, view(s));
                } else {
                    throw new ApiException(404, "no such resource: /api" + path);
                }
            }
            case "status" -> {
                requireMethod(method, "GET");
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("alerts", engine.summary());
                out.putAll(status.get());
                json(ex, 200, out);
            }
            default -> throw new ApiException(404, "no such resource: /api" + path);
        }
    }

    // ----------------------------------------------------------------------------------------------- requests

    /** Body of POST /api/alerts/{fp}/ack. */
    public record AckRequest(String by, String comment) {
    }

    /**
     * Body of POST /api/silences. {@code matchers}: objects {@code {"name","value","isRegex","isEqual"}} or strings
     * {@code "rack=\"p00-r01\""}; {@code endsAt} (RFC 3339) or {@code duration} (e.g. {@code 2h}).
     */
    public record SilenceRequest(List<JsonNode> matchers, String startsAt, String endsAt, String duration,
                                 String createdBy, String comment) {
    }

    private Silence createSilence(SilenceRequest req) {
        if (req.matchers() == null || req.matchers().isEmpty()) {
            throw new ApiException(400, "matchers: at least one is required, e.g. [\"rack=\\\"p00-r01\\\"\"]");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < req.matchers().size(); i++) {
            JsonNode m = req.matchers().get(i);
            try {
                if (m.isTextual()) {
                    matchers.add(Matcher.parse(m.asText()));
                } else if (m.isObject()) {
                    matchers.add(JSON.treeToValue(m, Matcher.class));
                } else {
                    throw new IllegalArgumentException("expected a string or an object");
                }
            } catch (IllegalArgumentException | JsonProcessingException e) {
                String msg = e instanceof JsonProcessingException j ? rootMessage(j) : e.getMessage();
                throw new ApiException(400, "matchers[" + i + "]: " + msg);
            }
        }
        long now = clock.millis();
        Long start = req.startsAt() == null ? null : instant("startsAt", req.startsAt());
        long end;
        if (req.endsAt() != null && req.duration() != null) {
            throw new ApiException(400, "give either endsAt or duration, not both");
        } else if (req.endsAt() != null) {
            end = instant("endsAt", req.endsAt());
        } else if (req.duration() != null) {
            Duration d = Durations.parse(req.duration()).orElseThrow(() -> new ApiException(400,
                    "duration: \"" + req.duration() + "\" is not a duration (" + Durations.EXAMPLE + ")"));
            end = (start == null ? now : start) + d.toMillis();
        } else {
            throw new ApiException(400, "endsAt or duration is required");
        }
        if (req.createdBy() == null || req.createdBy().isBlank()) {
            throw new ApiException(400, "createdBy is required (who silences)");
        }
        return engine.createSilence(matchers, start, end, req.createdBy(), req.comment());
    }

    private static long instant(String field, String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new ApiException(400, field + ": \"" + text + "\" is not an RFC 3339 time (e.g. 2025-11-24T16:00:00Z)");
        }
    }

    private <T> T body(HttpExchange ex, Class<T> type, T whenEmpty) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "body larger than " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            if (whenEmpty != null) {
                return whenEmpty;
            }
            throw new ApiException(400, "a JSON body is required");
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && !contentType.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "Content-Type must be application/json, got " + contentType);
        }
        try {
            T value = JSON.readValue(bytes, type);
            if (value == null) {
                throw new ApiException(400, "a JSON object is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(400, "unknown field \"" + e.getPropertyName() + "\"; known: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()));
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "body is not valid JSON for this call: " + rootMessage(e));
        }
    }

    private static String rootMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static int limit(Map<String, String> query) {
        String raw = query.getOrDefault("limit", "100");
        try {
            int n = Integer.parseInt(raw);
            if (n < 1 || n > 10_000) {
                throw new ApiException(400, "limit must be 1..10000, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "limit: \"" + raw + "\" is not a number");
        }
    }

    private static String fingerprint(String text) {
        if (!FINGERPRINT.matcher(text).matches()) {
            throw new ApiException(400, "\"" + text + "\" is not a fingerprint (16 hex digits)");
        }
        return text;
    }

    private static ApiException notFound(String fp) {
        return new ApiException(404, "no alert with fingerprint " + fp);
    }

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new ApiException(405, method + " is not allowed here; use " + String.join(" or ", allowed));
    }

    private void authorize(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"chipwatch-alerting\"");
            throw new ApiException(401, "missing bearer token (Authorization: Bearer <token>; the token is in the "
                    + "alerting token file)");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"chipwatch-alerting\", error=\"invalid_token\"");
            throw new ApiException(401, "invalid bearer token");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------- views

    private ObjectNode view(AlertInfo info) {
        Alert a = info.alert();
        ObjectNode n = JSON.createObjectNode();
        n.put("fingerprint", a.fingerprint());
        n.put("alertname", a.alertname());
        n.put("severity", a.severity());
        n.put("status", a.status().label());
        n.put("entity", a.labels().get("entity"));
        n.set("labels", JSON.valueToTree(a.labels()));
        n.set("annotations", JSON.valueToTree(a.annotations()));
        n.put("startsAt", iso(a.startsAt()));
        n.put("firingAt", a.firingAt() == null ? null : iso(a.firingAt()));
        n.put("endsAt", a.endsAt() == null ? null : iso(a.endsAt()));
        n.put("updatedAt", iso(a.updatedAt()));
        if (Double.isFinite(a.value())) {
            n.put("value", a.value());
        } else {
            n.putNull("value");
        }
        if (Double.isFinite(a.threshold())) {
            n.put("threshold", a.threshold());
        } else {
            n.putNull("threshold");
        }
        n.set("anomalyIds", JSON.valueToTree(a.openAnomalyIds()));
        if (a.acknowledgement() == null) {
            n.putNull("acknowledged");
        } else {
            ObjectNode ack = n.putObject("acknowledged");
            ack.put("by", a.acknowledgement().by());
            ack.put("at", iso(a.acknowledgement().atMillis()));
            ack.put("comment", a.acknowledgement().comment());
        }
        n.set("silencedBy", JSON.valueToTree(info.silencedBy()));
        n.set("inhibitedBy", JSON.valueToTree(info.inhibitedBy()));
        n.put("suppressed", !info.silencedBy().isEmpty() || !info.inhibitedBy().isEmpty());
        return n;
    }

    private ObjectNode view(Silence s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", s.id());
        n.set("matchers", JSON.valueToTree(s.matchers()));
        n.put("startsAt", iso(s.startsAt()));
        n.put("endsAt", iso(s.endsAt()));
        n.put("updatedAt", iso(s.updatedAt()));
        n.put("createdBy", s.createdBy());
        n.put("comment", s.comment());
        n.put("state", s.state(clock.millis()).label());
        return n;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    // ----------------------------------------------------------------------------------------------- responses

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body), Map.of());
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "error" : message);
        body.put("status", status);
        json(ex, status, body);
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body,
                             Map<String, String> headers) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        if (!headers.containsKey("Cache-Control")) {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
        }
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : (body.length == 0 ? -1 : body.length));
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
