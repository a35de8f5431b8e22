package io.chipwatch.alerting.api;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.alert.AlertNotFoundException;
import io.chipwatch.alerting.alert.AlertResolvedException;
import io.chipwatch.alerting.engine.AlertInfo;
import io.chipwatch.alerting.engine.EngineBusyException;
import io.chipwatch.alerting.engine.EngineFacade;
import io.chipwatch.alerting.silence.InvalidSilenceException;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.alerting.web.Runbooks;
import io.chipwatch.alerting.web.WebPage;
import io.chipwatch.infra.http.HttpError;
import io.chipwatch.infra.http.JsonBodies;
import io.chipwatch.infra.http.JsonHttpServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The HTTP API (JSON) and the on-call web page, on infra's {@link JsonHttpServer}.
 *
 * <p>Every {@code /api/} call and {@code /metrics} need {@code Authorization: Bearer <token>} (else 401); the page
 * itself ({@code /}, {@code /app.js}, {@code /app.css}), the runbooks ({@code /runbooks/}) and {@code /healthz} hold
 * no data and are open. Bad input
 * gets a 4xx with {@code {"error": "<reason>", "status": <code>}}; a busy alert engine 503 with
 * {@code Retry-After}.
 *
 * <pre>
 * GET    /api/alerts[?pending=true]     active (firing) alerts, most severe first
 * GET    /api/alerts/{fingerprint}      one alert (also resolved ones still remembered)
 * POST   /api/alerts/{fingerprint}/ack  acknowledge; body (optional) {"by": "...", "comment": "..."}
 * DELETE /api/alerts/{fingerprint}/ack  take the acknowledgement back
 * GET    /api/alerts/resolved[?limit=N&offset=K&alertname=A]
 *                                       resolved history, newest first (default 100), a page of it, one alert
 *                                       name's; also /api/history
 * GET    /api/alerts/resolved/groups    the resolved history by alert name: count and latest entry of each
 * GET    /api/silences                  all silences (active, pending, recently expired)
 * POST   /api/silences                  {"matchers": [...], "endsAt" | "duration", "startsAt"?, "createdBy", "comment"}
 * GET    /api/silences/{id}
 * DELETE /api/silences/{id}             expire it
 * GET    /api/status                    counts, receivers' health, consumer state
 * GET    /metrics                       Prometheus text format
 * GET    /runbooks/{name}.md            a runbook (docs/runbooks), plain text, no token
 * </pre>
 */
public final class ApiServer implements AutoCloseable {
    private static final int MAX_BODY = 64 * 1024;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SILENCE_ID = Pattern.compile("[0-9a-fA-F-]{1,64}");

    /**
     * Body of {@code /healthz}: 200 when {@code status} is {@value #OK}, else 503.
     *
     * @param status {@value #OK} or {@code unhealthy}
     * @param checks what was checked (the anomaly consumer's thread, last poll, lag...)
     */
    public record Health(String status, Map<String, Object> checks) {
        public static final String OK = "ok";

        public boolean ok() {
            return OK.equals(status);
        }
    }

    private final JsonHttpServer server;
    private final byte[] token;
    private final EngineFacade engine;
    private final AlertingMetrics metrics;
    private final Supplier<Map<String, Object>> status;
    private final Supplier<Health> health;
    private final Clock clock;
    private final WebPage page = new WebPage();
    private final Runbooks runbooks = new Runbooks();

    /**
     * @param status extra fields for {@code /api/status} (receivers, consumer...)
     * @throws IOException when {@code bindAddress:port} cannot be bound
     */
    public ApiServer(String bindAddress, int port, String token, EngineFacade engine, AlertingMetrics metrics,
                     Supplier<Map<String, Object>> status, Clock clock) throws IOException {
        this(bindAddress, port, token, engine, metrics, status, () -> new Health(Health.OK, Map.of()), clock);
    }

    /**
     * @param status extra fields for {@code /api/status} (receivers, consumer...)
     * @param health what {@code /healthz} answers (503 unless ok)
     * @throws IOException when {@code bindAddress:port} cannot be bound
     */
    public ApiServer(String bindAddress, int port, String token, EngineFacade engine, AlertingMetrics metrics,
                     Supplier<Map<String, Object>> status, Supplier<Health> health, Clock clock) throws IOException {
        this.health = health;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.engine = engine;
        this.metrics = metrics;
        this.status = status;
        this.clock = clock;
        this.server = JsonHttpServer.builder("alerting-http").bind(bindAddress, port).threads(4)
                .maxBodyBytes(MAX_BODY).errors(ApiServer::engineError).routes(this::routes).start();
    }

    /** The route table. */
    private void routes(RoutesConfig r) {
        r.before(ApiServer::commonHeaders);
        r.before("/api/*", this::authorize);
        r.before("/metrics", this::authorize);
        r.get("/healthz", ctx -> {
            Health h = health.get();
            ctx.status(h.ok() ? 200 : 503).json(h);
        });
        for (String path : page.paths()) {
            r.get(path, ctx -> asset(ctx, path));
            r.head(path, ctx -> asset(ctx, path));
        }
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/runbooks/{name}", this::runbook);
        r.get("/api/alerts", ctx -> ctx.json(engine.activeAlerts(
                ctx.queryParamAsClass("pending", Boolean.class).getOrDefault(false)).stream().map(AlertView::of).toList()));
        r.get("/api/alerts/resolved", this::resolved);
        r.get("/api/alerts/resolved/groups", ctx -> ctx.json(engine.resolvedGroups().stream()
                .map(g -> new ResolvedGroupView(g.alertname(), g.count(), AlertView.resolved(g.latest()))).toList()));
        r.get("/api/history", this::resolved); // alias of /api/alerts/resolved (see the README's API table)
        r.get("/api/alerts/{fingerprint}", ctx -> ctx.json(AlertView.of(alert(fingerprint(ctx)))));
        r.post("/api/alerts/{fingerprint}/ack", this::acknowledge);
        r.delete("/api/alerts/{fingerprint}/ack", this::unacknowledge);
        r.get("/api/silences", ctx -> ctx.json(engine.silences().stream().map(this::view).toList()));
        r.post("/api/silences", this::createSilence);
        r.get("/api/silences/{id}", ctx -> ctx.json(view(silence(ctx, engine::silence))));
        r.delete("/api/silences/{id}", ctx -> ctx.json(view(silence(ctx, engine::expireSilence))));
        r.get("/api/status", ctx -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("alerts", engine.summary());
            out.putAll(status.get());
            ctx.json(out);
        });
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    // ----------------------------------------------------------------------------------------------- handlers

    private void resolved(Context ctx) {
        int limit = ctx.queryParamAsClass("limit", Integer.class)
                .check(n -> n == null || (n >= 1 && n <= 10_000), "must be 1..10000").getOrDefault(100);
        int offset = ctx.queryParamAsClass("offset", Integer.class)
                .check(n -> n == null || n >= 0, "must be 0 or more").getOrDefault(0);
        String alertname = ctx.queryParam("alertname");
        ctx.json(engine.resolvedHistory(alertname == null || alertname.isBlank() ? null : alertname, offset, limit)
                .stream().map(AlertView::resolved).toList());
    }

    private void acknowledge(Context ctx) {
        String fp = fingerprint(ctx);
        AckRequest req = JsonBodies.read(ctx, AckRequest.class, AckRequest.EMPTY);
        alert(fp);
        Alert acked;
        try {
            acked = engine.acknowledge(fp, req.by(), req.comment());
        } catch (AlertNotFoundException e) {
            throw notFound(fp);
        } catch (AlertResolvedException e) {
            throw HttpError.conflict(e.getMessage());
        }
        ctx.json(AlertView.of(alert(acked.fingerprint())));
    }

    private void unacknowledge(Context ctx) {
        String fp = alert(fingerprint(ctx)).alert().fingerprint();
        try {
            engine.unacknowledge(fp);
        } catch (AlertNotFoundException e) {
            throw notFound(fp);
        }
        ctx.json(AlertView.of(alert(fp)));
    }

    private void createSilence(Context ctx) {
        SilenceRequest.Valid req = JsonBodies.read(ctx, SilenceRequest.class, null).validate(clock.millis());
        Silence created;
        try {
            created = engine.createSilence(req.matchers(), req.startsAt(), req.endsAt(), req.createdBy(),
                    req.comment());
        } catch (InvalidSilenceException e) {
            throw HttpError.badRequest(e.getMessage()); // e.g. matchers that would silence every alert
        }
        ctx.status(201).json(view(created));
    }

    private void asset(Context ctx, String path) {
        WebPage.Asset asset = page.asset(path).orElseThrow();
        asset.headers().forEach(ctx::header);
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private void runbook(Context ctx) {
        String name = ctx.pathParam("name");
        byte[] text = runbooks.runbook(name).orElseThrow(() -> HttpError.notFound("no runbook " + name));
        ctx.contentType(Runbooks.CONTENT_TYPE).result(text);
    }

    private static String fingerprint(Context ctx) {
        String fp = ctx.pathParam("fingerprint");
        if (!FINGERPRINT.matcher(fp).matches()) {
            throw HttpError.badRequest("\"" + fp + "\" is not a fingerprint (16 hex digits)");
        }
        return fp;
    }

    private AlertInfo alert(String fp) {
        return engine.alert(fp).orElseThrow(() -> notFound(fp));
    }

    private static Silence silence(Context ctx, Function<String, Optional<Silence>> lookup) {
        String id = ctx.pathParam("id");
        if (!SILENCE_ID.matcher(id).matches()) {
            throw HttpError.badRequest("\"" + id + "\" is not a silence id");
        }
        return lookup.apply(id).orElseThrow(() -> HttpError.notFound("no silence with id " + id));
    }

    private SilenceView view(Silence s) {
        return SilenceView.of(s, clock.millis());
    }

    private static HttpError notFound(String fp) {
        return HttpError.notFound("no alert with fingerprint " + fp);
    }

    // ----------------------------------------------------------------------------------------------- filters and errors

    private static void commonHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw HttpError.unauthorized("missing bearer token (Authorization: Bearer <token>; the token is in "
                    + "the alerting token file)", "Bearer realm=\"chipwatch-alerting\"");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw HttpError.unauthorized("invalid bearer token",
                    "Bearer realm=\"chipwatch-alerting\", error=\"invalid_token\"");
        }
    }

    /** The engine did not answer in time (or is stopping): 503, the same call may work in a moment. */
    private static HttpError engineError(Exception e) {
        if (e instanceof RejectedExecutionException) {
            return HttpError.busy("the alert engine is stopping", RETRY_AFTER);
        }
        return e instanceof EngineBusyException ? HttpError.busy(e.getMessage(), RETRY_AFTER) : null;
    }
}
