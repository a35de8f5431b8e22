package io.chipwatch.collector.control;

import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.infra.http.JsonHttpServer;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The collector's HTTP endpoint when it reads a real source instead of simulating: {@code GET /metrics} (its health
 * and the sources' self-metrics, {@link CollectorMetrics}) and {@code GET /healthz}; no {@code /faults}, so no token.
 * Same server, host check and limits as {@link ControlServer}.
 */
public final class MetricsServer implements AutoCloseable {
    private final JsonHttpServer server;
    private final CollectorMetrics metrics;

    /**
     * @param hostNames {@code Host} names accepted besides loopback and the bound address
     * @throws IOException when {@code host:port} cannot be bound
     */
    public MetricsServer(String host, int port, List<String> hostNames, CollectorMetrics metrics) throws IOException {
        this.metrics = metrics;
        this.server = JsonHttpServer.builder("metrics-http").bind(host, port).threads(2).checkHost(hostNames)
                .routes(r -> {
                    r.get("/metrics", this::metrics);
                    r.head("/metrics", this::metrics);
                    r.get("/healthz", ctx -> Healthz.answer(ctx, metrics));
                }).start();
    }

    private void metrics(Context ctx) throws IOException {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        try (OutputStream out = new BufferedOutputStream(ctx.outputStream(), 1 << 16)) {
            metrics.scrape(out);
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9400}. */
    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
