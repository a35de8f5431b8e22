package io.chipwatch.infra.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.Key;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.json.JavalinJackson;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one small HTTP layer of the services (alerting's API and page, the collector's control endpoint): a Javalin
 * (Jetty 12) server bound to one address (loopback by default), with
 * <ul>
 *   <li>the routes declared in one table by the caller ({@link Builder#routes}),</li>
 *   <li>JSON through one Jackson mapper ({@link #JSON}: records in, records out),</li>
 *   <li>optionally, a {@code Host} check against DNS rebinding ({@link Builder#checkHost}),</li>
 *   <li>a read/idle timeout on every connection ({@link Builder#readTimeout}), a least body data rate
 *       ({@link Builder#minBodyBytesPerSecond}) and a body limit
 *       ({@link Builder#maxBodyBytes}, see {@link JsonBodies}),</li>
 *   <li>one mapping from errors to answers: an {@link HttpError} is sent as it is, a Javalin validation error as
 *       400 naming the field, an unknown path as 404, a known path with another method as 405, what the caller's
 *       {@link Builder#errors translator} recognises as its {@link HttpError} (e.g. "engine busy" as 503 with
 *       {@code Retry-After}), and anything else as 500 (logged here with its stack trace, never sent). Every error
 *       body is {@link ErrorBody} {@code {"error": "<reason>", "status": <code>}}.</li>
 * </ul>
 * Threads are daemons, so a server left open does not keep a JVM alive.
 */
public final class JsonHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpServer.class);
    /** The mapper of request and response bodies: unknown request fields are errors; records serialise as declared. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    /** The Content-Type of JSON answers. */
    public static final String JSON_CONTENT_TYPE = "application/json;charset=utf-8";
    static final Key<Long> MAX_BODY = new Key<>("chipwatch.maxBodyBytes");

    private final Javalin app;
    private final String host;

    private JsonHttpServer(Javalin app, String host) {
        this.app = app;
        this.host = host;
    }

    /** A server whose threads are named {@code <name>-N}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The port actually bound. */
    public int port() {
        return app.port();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9400}. */
    public String url() {
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** How to build one server; {@link #start()} binds it. */
    public static final class Builder {
        private final String name;
        private String host = "127.0.0.1";
        private int port;
        private int threads = 8;
        private long maxBodyBytes = 64 * 1024;
        private Duration readTimeout = Duration.ofSeconds(30);
        private long minBodyBytesPerSecond = 4 * 1024;
        private double requestsPerSecond = 50;
        private int requestBurst = 100;
        private Function<Exception, HttpError> errors = e -> null;
        private Consumer<RoutesConfig> routes = r -> { };
        private Collection<String> hostNames;

        private Builder(String name) {
            this.name = name;
        }

        /** Address and port to bind (port 0: any free one; see {@link #port()}). Default: loopback, any port. */
        public Builder bind(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** Most requests handled at once (default 8). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Largest request body read (default 64 KiB); a larger one gets 413. */
        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * How long a connection may stay silent while a request is read (headers or body) or between requests
         * (default 30 s); then it is closed, so a slow or stalled client cannot hold a thread.
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /**
         * The slowest a request body may arrive, on average since the request began (default 4 KiB/s: the largest
         * body within 16 s); a slower one is cut off with 408. The read timeout alone would let a client that
         * sends a byte now and then hold a worker thread for as long as it likes. 0 turns the check off.
         */
        public Builder minBodyBytesPerSecond(long bytesPerSecond) {
            this.minBodyBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * The most requests the server takes, all clients together: {@code perSecond} sustained, bursts of
         * {@code burst} (default 50 a second, bursts of 100); more get 429 with {@code Retry-After}
         * ({@link RequestRate}).
         */
        public Builder requestRate(double perSecond, int burst) {
            this.requestsPerSecond = perSecond;
            this.requestBurst = burst;
            return this;
        }

        /**
         * How the service's own exceptions map to answers: returns the {@link HttpError} for an exception it
         * recognises (e.g. a busy engine as {@link HttpError#busy}), null for the rest (they become 500).
         */
        public Builder errors(Function<Exception, HttpError> errors) {
            this.errors = errors;
            return this;
        }

        /**
         * Refuses (421) every request whose {@code Host} is not a loopback name, the bound address or one of
         * {@code extraNames} ({@link HostCheck}), before any route runs: against DNS rebinding. Off unless called.
         */
        public Builder checkHost(Collection<String> extraNames) {
            this.hostNames = List.copyOf(extraNames);
            return this;
        }

        /** The route table: {@code before}/{@code get}/{@code post}... on Javalin's {@link RoutesConfig}. */
        public Builder routes(Consumer<RoutesConfig> routes) {
            this.routes = routes;
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws IOException when the address cannot be bound (e.g. the port is taken)
         */
        public JsonHttpServer start() throws IOException {
            QueuedThreadPool pool = new QueuedThreadPool(Math.max(threads + 4, 8), 2);
            pool.setName(name);
            pool.setDaemon(true);
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jsonMapper(new JavalinJackson(JSON, false));
                config.http.maxRequestSize = maxBodyBytes;
                config.http.compressionStrategy = CompressionStrategy.NONE;
                config.http.prefer405over404 = true;
                config.appData(MAX_BODY, maxBodyBytes);
                config.jetty.threadPool = pool;
                config.jetty.addConnector((server, http) -> {
                    http.setSendServerVersion(false);
                    http.setIdleTimeout(readTimeout.toMillis());
                    http.setMinRequestDataRate(minBodyBytesPerSecond);
                    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
                    connector.setHost(host);
                    connector.setPort(port);
                    connector.setIdleTimeout(readTimeout.toMillis());
                    return connector;
                });
                // Javalin has its own mappers for its exceptions: the more specific registrations replace them.
                for (Class<? extends Exception> type : List.of(Exception.class, HttpResponseException.class,
                        ValidationException.class)) {
                    config.routes.exception(type, (e, ctx) -> send(ctx, toHttpError(e, ctx, errors)));
                }
                // Say the charset (Jetty writes it as application/json;charset=utf-8).
                config.routes.after(ctx -> {
                    if ("application/json".equals(ctx.res().getContentType())) {
                        ctx.contentType(JSON_CONTENT_TYPE);
                    }
                });
                config.routes.before(new RequestRate(requestsPerSecond, requestBurst, System::nanoTime));
                if (hostNames != null) {
                    config.routes.before(new HostCheck(host, hostNames));
                }
                routes.accept(config.routes);
            });
            try {
                app.start();
            } catch (RuntimeException e) {
                app.stop();
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof IOException io) {
                        throw io;
                    }
                }
                throw e;
            }
            return new JsonHttpServer(app, host);
        }
    }

    private static HttpError toHttpError(Exception e, Context ctx, Function<Exception, HttpError> errors) {
        if (e instanceof HttpError h) {
            return h;
        }
        HttpError translated = errors.apply(e);
        if (translated != null) {
            return translated;
        }
        if (e instanceof BadMessageException b) {
            // Jetty's own refusals while reading a request, e.g. 408 for a body that arrives too slowly.
            return HttpError.of(b.getCode(), b.getReason() == null ? "bad request" : b.getReason());
        }
        if (e instanceof MethodNotAllowedResponse m) {
            return HttpError.methodNotAllowed(ctx.method() + " is not allowed here; use "
                    + String.join(" or ", allowedMethods(m)));
        }
        if (e instanceof NotFoundResponse) {
            return HttpError.notFound("no such resource: " + ctx.path());
        }
        if (e instanceof HttpResponseException r) {
            return HttpError.of(r.getStatus(), r.getMessage());
        }
        if (e instanceof ValidationException v) {
            return HttpError.badRequest(v.getErrors().entrySet().stream()
                    .map(f -> f.getKey() + ": " + describe(f.getValue()))
                    .collect(Collectors.joining("; ")));
        }
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        return HttpError.of(500, "internal error (the server log has the details)");
    }

    private static List<String> allowedMethods(MethodNotAllowedResponse m) {
        return m.getDetails().getOrDefault("availableMethods", "").isEmpty() ? List.of("another method")
                : List.of(m.getDetails().get("availableMethods").split(",\\s*"));
    }

    private static String describe(List<ValidationError<Object>> errors) {
        ValidationError<Object> first = errors.get(0);
        return "TYPE_CONVERSION_FAILED".equals(first.getMessage())
                ? "\"" + first.value + "\" is not a valid value"
                : first.getMessage();
    }

    private static void send(Context ctx, HttpError error) {
        ctx.status(error.status());
        error.headers().forEach(ctx::header);
        ctx.json(new ErrorBody(error.getMessage() == null ? "error" : error.getMessage(), error.status()));
    }

    /**
     * The limits Jetty runs with, for tests and diagnostics: {@code readTimeoutMillis}, {@code minBodyBytesPerSecond},
     * {@code connectors}.
     */
    public Map<String, Long> settings() {
        ServerConnector c = (ServerConnector) app.jettyServer().server().getConnectors()[0];
        HttpConnectionFactory http = c.getConnectionFactory(HttpConnectionFactory.class);
        return Map.of("readTimeoutMillis", c.getIdleTimeout(),
                "minBodyBytesPerSecond", http.getHttpConfiguration().getMinRequestDataRate(),
                "connectors", (long) app.jettyServer().server().getConnectors().length);
    }
}
