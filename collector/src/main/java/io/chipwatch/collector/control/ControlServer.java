package io.chipwatch.collector.control;

import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.FaultRequest;
import io.chipwatch.collector.sim.FaultStatus;
import io.chipwatch.infra.http.BearerToken;
import io.chipwatch.infra.http.HttpError;
import io.chipwatch.infra.http.JsonBodies;
import io.chipwatch.infra.http.JsonHttpServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The collector's small HTTP server (infra's {@link JsonHttpServer}, loopback by default, {@code --metrics-port}):
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format: the collector's health, then the cluster's chips and links
 *       under dcgm-exporter's names ({@link CollectorMetrics});</li>
 *   <li>{@code GET /metrics/node/<node id>}: that node's chips only, as a real fleet's per-node dcgm-exporter;
 *       {@code GET /file_sd}: those per-node targets as a Prometheus {@code file_sd} JSON list (address: the
 *       request's {@code Host}), for Prometheus or the collector's {@code --source prometheus --targets};</li>
 *   <li>{@code GET /faults}: {@code {"faults":[…]}}, past (the last 1000), active and pending faults;</li>
 *   <li>{@code POST /faults} with {@code {"type":"overheat","target":"p00-r01-n02-c03","duration":"2m"}}: injects a
 *       fault at the next tick; answers 201 with the started fault (its id, resolved target, onset and end), 400
 *       naming the bad field ({@link FaultRequestReader}), 409 when the target belongs to another shard or no
 *       entity matched, 202 when the sampling loop did not start it within a few seconds. {@code duration} is
 *       optional (until cleared); {@code target} may be a selector such as {@code random-chip};</li>
 *   <li>{@code DELETE /faults}: ends every active fault and drops the pending ones; answers
 *       {@code {"cleared":[…]}};</li>
 *   <li>{@code GET /healthz}: {@code ok}, or 503 when the ticks have stalled ({@link Healthz}).</li>
 * </ul>
 * Every {@code /faults} call needs {@code Authorization: Bearer <token>} (401 else; the token in the collector's
 * token file, {@link ControlAccess}), and {@code POST /faults} {@code Content-Type: application/json} (415 else), so
 * that another site's page cannot forge one; every request whose {@code Host} is not loopback, the bound address or a
 * configured name gets 421 (against DNS rebinding). {@code /metrics} and {@code /healthz} need no token. Bodies are
 * at most 64 KiB (413), and must arrive at 4 KiB/s or faster, each pause under 30 s (408 or closed).
 * Errors are {@code {"error": "<reason>", "status": <code>}}.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final JsonHttpServer server;
    private final ClusterSimulator simulator;
    private final CollectorMetrics metrics;
    private final long startWaitMillis;

    /**
     * Starts serving.
     *
     * @param host      address to bind, e.g. {@code 127.0.0.1}
     * @param port      port; 0 for any free one (see {@link #port()})
     * @param access    the token {@code /faults} requires and the {@code Host} names accepted
     * @param simulator the simulator whose faults this server controls
     * @param metrics   what {@code /metrics} serves
     * @throws IOException when {@code host:port} cannot be bound
     */
    public ControlServer(String host, int port, ControlAccess access, ClusterSimulator simulator,
                         CollectorMetrics metrics) throws IOException {
        this.simulator = simulator;
        this.metrics = metrics;
        // An injected fault starts at the next tick: wait a few intervals for it before answering 202.
        this.startWaitMillis = Math.max(5_000, 3 * simulator.config().sampleIntervalMillis());
        BearerToken bearer = new BearerToken(access.token(), "chipwatch-collector",
                "the collector's token file, " + access.tokenSource());
        this.server = JsonHttpServer.builder("control-http").bind(host, port).threads(2)
                .checkHost(access.hostNames()).routes(r -> routes(r, bearer)).start();
        LOG.info("control and metrics endpoint on {}/ (metrics, faults)", url());
    }

    /** The route table. */
    private void routes(RoutesConfig r, BearerToken bearer) {
        r.before("/faults", bearer);
        r.get("/metrics", this::metrics);
        r.head("/metrics", this::metrics);
        r.get("/metrics/node/{node}", this::nodeMetrics);
        r.get("/file_sd", ctx -> ctx.contentType("application/json").result(metrics.fileSd(ctx.host())));
        r.get("/faults", ctx -> ctx.json(new FaultView.Listing(FaultView.of(simulator.faults()))));
        r.post("/faults", this::inject);
        r.delete("/faults", this::clear);
        r.get("/healthz", ctx -> Healthz.answer(ctx, metrics));
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9400}. */
    public String url() {
        return server.url();
    }

    private void metrics(Context ctx) throws IOException {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        // Chunked: the cluster's part is ~17 MB at 10,000 chips; stream it rather than copy it once more.
        try (OutputStream out = new BufferedOutputStream(ctx.outputStream(), 1 << 16)) {
            metrics.scrape(out);
        } catch (IOException | RuntimeException e) {
            LOG.warn("/metrics failed: {}", e.toString());
            throw e;
        }
    }

    /** One node's series, as a real fleet's per-node exporter serves them; 404 for a node this collector lacks. */
    private void nodeMetrics(Context ctx) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 14);
        if (!metrics.scrapeNode(body, ctx.pathParam("node"))) {
            throw HttpError.notFound("node: " + ctx.pathParam("node") + " is not simulated by this collector");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(body.toByteArray());
    }

    private void inject(Context ctx) {
        FaultRequest request = FaultRequestReader.read(JsonBodies.jsonBytes(ctx));
        try {
            simulator.validate(request);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("target: " + e.getMessage());
        }
        if (!simulator.owns(request)) {
            throw HttpError.conflict("target: " + request.target() + " is sampled by another collector shard (this "
                    + "one is " + simulator.config().shardIndex() + "/" + simulator.config().shardCount()
                    + "); inject it there");
        }
        FaultStatus started = await(simulator.inject(request));
        if (started == null) {
            ctx.status(202).json(FaultView.Pending.of("accepted; the sampling loop has not reached its next tick yet"));
            return;
        }
        if (started.state() == FaultStatus.State.SKIPPED) {
            throw HttpError.conflict("target: " + started.detail());
        }
        LOG.info("injected {}: {} on {} for {}", started.id(), started.type().label(), started.target(),
                request.durationMillis() == 0 ? "until cleared" : request.durationMillis() + " ms");
        ctx.status(201).json(FaultView.of(started));
    }

    private void clear(Context ctx) {
        List<FaultStatus> cleared = await(simulator.clearFaults());
        if (cleared == null) {
            ctx.status(202).json(FaultView.Pending.of("accepted; faults clear at the sampling loop's next tick"));
            return;
        }
        LOG.info("cleared {} fault(s)", cleared.size());
        ctx.json(new FaultView.Cleared(FaultView.of(cleared)));
    }

    /** What the sampling loop answered, or null when it has not got to it within a few ticks. */
    private <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get(startWaitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpError.busy("interrupted", Duration.ofSeconds(1));
        } catch (ExecutionException e) {
            throw new IllegalStateException("the sampling loop failed", e.getCause());
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
