package io.chipwatch.collector.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chipwatch.collector.cli.DurationConverter;
import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.FaultRequest;
import io.chipwatch.collector.sim.FaultStatus;
import io.chipwatch.model.fault.FaultType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The collector's small HTTP server (JDK {@code com.sun.net.httpserver}, loopback by default, {@code --metrics-port}):
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format: the collector's health, then the cluster's chips and links
 *       under dcgm-exporter's names ({@link CollectorMetrics});</li>
 *   <li>{@code GET /faults}: {@code {"faults":[…]}}, past (the last 1000), active and pending faults;</li>
 *   <li>{@code POST /faults} with {@code {"type":"overheat","target":"p00-r01-n02-c03","duration":"2m"}}: injects a
 *       fault at the next tick; answers 201 with the started fault (its id, resolved target, onset and end), 400
 *       with {@code {"error":"…"}} naming the bad field, 409 when the target belongs to another shard, 202 when
 *       the sampling loop did not start it within a few seconds. {@code duration} is optional (until cleared);
 *       {@code target} may be a selector such as {@code random-chip};</li>
 *   <li>{@code DELETE /faults}: ends every active fault and drops the pending ones; answers
 *       {@code {"cleared":[…]}};</li>
 *   <li>{@code GET /healthz}: {@code ok}.</li>
 * </ul>
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> POST_KEYS = Set.of("type", "target", "duration");
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ClusterSimulator simulator;
    private final CollectorMetrics metrics;
    private final long startWaitMillis;

    /**
     * Starts serving.
     *
     * @param host      address to bind, e.g. {@code 127.0.0.1}
     * @param port      port; 0 for any free one (see {@link #port()})
     * @param simulator the simulator whose faults this server controls
     * @param metrics   what {@code /metrics} serves
     */
    public ControlServer(String host, int port, ClusterSimulator simulator, CollectorMetrics metrics) throws IOException {
        this.simulator = simulator;
        this.metrics = metrics;
        // An injected fault starts at the next tick: wait a few intervals for it before answering 202.
        this.startWaitMillis = Math.max(5_000, 3 * simulator.config().sampleIntervalMillis());
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "control-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", this::metrics);
        server.createContext("/faults", this::faults);
        server.createContext("/healthz", ex -> send(ex, 200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8)));
        server.start();
        LOG.info("control and metrics endpoint on http://{}:{}/ (metrics, faults)", host, port());
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9400}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private void metrics(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                error(ex, 405, "use GET");
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            // Chunked: the cluster's part is ~17 MB at 10,000 chips; stream it rather than copy it once more.
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = new java.io.BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
                metrics.scrape(out);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("/metrics failed: {}", e.toString());
            throw e;
        }
    }

    private void faults(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/faults") && !ex.getRequestURI().getPath().equals("/faults/")) {
                error(ex, 404, "no such resource; use /faults");
                return;
            }
            switch (ex.getRequestMethod()) {
                case "GET" -> list(ex);
                case "POST" -> inject(ex);
                case "DELETE" -> clear(ex);
                default -> error(ex, 405, "use GET, POST or DELETE");
            }
        } catch (RuntimeException e) {
            LOG.warn("/faults failed", e);
            error(ex, 500, e.toString());
        }
    }

    private void list(HttpExchange ex) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("faults");
        for (FaultStatus s : simulator.faults()) {
            array.add(toJson(s));
        }
        json(ex, 200, root);
    }

    private void inject(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            error(ex, 413, "request body over " + MAX_BODY + " bytes");
            return;
        }
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            error(ex, 400, "body is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (req == null || !req.isObject()) {
            error(ex, 400, "body must be a JSON object like {\"type\":\"overheat\",\"target\":\"random-chip\",\"duration\":\"2m\"}");
            return;
        }
        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!POST_KEYS.contains(key)) {
                error(ex, 400, key + ": unknown key; allowed: duration, target, type");
                return;
            }
        }
        JsonNode typeNode = req.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            error(ex, 400, "type: required, one of " + FaultType.labels());
            return;
        }
        FaultType type;
        try {
            type = FaultType.fromLabel(typeNode.asText());
        } catch (IllegalArgumentException e) {
            error(ex, 400, "type: " + e.getMessage());
            return;
        }
        JsonNode targetNode = req.get("target");
        if (targetNode == null || !targetNode.isTextual() || targetNode.asText().isBlank()) {
            error(ex, 400, "target: required, a " + type.scope().label() + " id or a selector like random-"
                    + type.scope().label());
            return;
        }
        long duration = 0;
        JsonNode d = req.get("duration");
        if (d != null && !d.isNull()) {
            if (!d.isTextual()) {
                error(ex, 400, "duration: must be text with a unit, e.g. \"30s\" or \"2m\"");
                return;
            }
            try {
                duration = DurationConverter.parse(d.asText()).toMillis();
            } catch (RuntimeException e) {
                error(ex, 400, "duration: " + e.getMessage());
                return;
            }
            if (duration <= 0) {
                error(ex, 400, "duration: must be positive (leave it out for 'until cleared')");
                return;
            }
        }
        FaultRequest request = new FaultRequest(type, targetNode.asText().trim(), FaultRequest.NOW, duration);
        try {
            simulator.validate(request);
        } catch (IllegalArgumentException e) {
            error(ex, 400, "target: " + e.getMessage());
            return;
        }
        if (!simulator.owns(request)) {
            error(ex, 409, "target: " + request.target() + " is sampled by another collector shard (this one is "
                    + simulator.config().shardIndex() + "/" + simulator.config().shardCount() + "); inject it there");
            return;
        }
        FaultStatus started;
        try {
            started = simulator.inject(request).get(startWaitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ObjectNode pending = JSON.createObjectNode();
            pending.put("state", "pending");
            pending.put("detail", "accepted; the sampling loop has not reached its next tick yet");
            json(ex, 202, pending);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ex, 503, "interrupted");
            return;
        } catch (ExecutionException e) {
            error(ex, 500, e.getCause().toString());
            return;
        }
        if (started.state() == FaultStatus.State.SKIPPED) {
            error(ex, 409, "target: " + started.detail());
            return;
        }
        LOG.info("injected {}: {} on {} for {}", started.id(), type.label(), started.target(),
                duration == 0 ? "until cleared" : duration + " ms");
        json(ex, 201, toJson(started));
    }

    private void clear(HttpExchange ex) throws IOException {
        List<FaultStatus> cleared;
        try {
            cleared = simulator.clearFaults().get(startWaitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ObjectNode pending = JSON.createObjectNode();
            pending.put("state", "pending");
            pending.put("detail", "accepted; faults clear at the sampling loop's next tick");
            json(ex, 202, pending);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ex, 503, "interrupted");
            return;
        } catch (ExecutionException e) {
            error(ex, 500, e.getCause().toString());
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("cleared");
        cleared.forEach(s -> array.add(toJson(s)));
        LOG.info("cleared {} fault(s)", cleared.size());
        json(ex, 200, root);
    }

    /** The JSON of a fault in listings and answers. */
    public static ObjectNode toJson(FaultStatus s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", s.id());
        o.put("type", s.type().label());
        o.put("target", s.target());
        o.put("targetScope", s.targetScope().label());
        o.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
        o.put("source", s.source());
        putNullable(o, "requestedAtMillis", s.requestedAtMillis());
        putNullable(o, "onsetMillis", s.onsetMillis());
        putNullable(o, "endMillis", s.endMillis());
        o.put("durationMillis", s.durationMillis());
        o.put("detail", s.detail());
        return o;
    }

    private static void putNullable(ObjectNode o, String key, Long value) {
        if (value == null) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        json(ex, status, o);
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
