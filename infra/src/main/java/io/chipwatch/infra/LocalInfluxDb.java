package io.chipwatch.infra;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real InfluxDB 1.x server ({@code influxd} from the Debian package {@code influxdb}) running as its own process
 * on loopback ports: the local stack's database ({@link Builder#detached detached}, data under
 * {@code var/influxdb}) and the one tests write to (attached, in a temporary folder).
 *
 * <p>{@link #stop()} and a later {@link #start()} keep the data and the ports, so the same {@link #url()} works
 * again: that is how tests simulate an outage.
 *
 * <p>Layout of the data folder: {@code influxdb.conf}, {@code meta/}, {@code data/}, {@code wal/} and, unless
 * another log file is given, {@code influxdb.log}.
 */
public final class LocalInfluxDb extends ManagedProcess<LocalInfluxDb> {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int RPC = 1;
    static final String NOT_INSTALLED =
            "InfluxDB is not installed: run ./telemetry test or apt-get install influxdb";

    private final Path binary;
    private final boolean authEnabled;

    private LocalInfluxDb(Builder b) {
        super("influxd", "influxdb.log", STOP_GRACE, b);
        this.binary = b.binary;
        this.authEnabled = b.authEnabled;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code influxd} to run: on the PATH, else {@code /usr/bin/influxd}.
     *
     * @throws InfraException saying how to install it when there is none
     */
    public static Path findInfluxd() {
        return findInfluxd(System.getenv("PATH"), List.of("/usr/bin/influxd", "/usr/local/bin/influxd"))
                .orElseThrow(() -> new InfraException(NOT_INSTALLED));
    }

    static Optional<Path> findInfluxd(String pathVariable, List<String> fallbacks) {
        for (String dir : Optional.ofNullable(pathVariable).orElse("").split(File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "influxd"))) {
                return Optional.of(Path.of(dir, "influxd"));
            }
        }
        return fallbacks.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Writes {@code influxdb.conf} and runs influxd; {@link #start()} returns once {@code /ping} answers 204. */
    @Override
    protected LocalProcess.Builder prepare() {
        Path influxd = binary != null ? binary : findInfluxd();
        Path config = write("influxdb.conf", new InfluxDbConfig(dataDir(), port(), rpcPort(), authEnabled).render());
        return LocalProcess.builder("influxdb")
                .command(List.of(influxd.toString(), "run", "-config", config.toString()))
                // influxd lets INFLUXDB_* variables override its config file: ours must win.
                .removeEnvironmentStartingWith("INFLUXDB_");
    }

    @Override
    protected void awaitReady(long deadline) {
        await(() -> ping(url()), deadline, 50, "does not answer " + url() + "/ping");
    }

    /** "http://127.0.0.1:PORT"; the port is known after the first {@link #start()} when the builder said 0. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    protected String address() {
        return url();
    }

    /** The RPC (backup/restore) port. */
    public int rpcPort() {
        return port(RPC);
    }

    /** Creates a database (with the default retention policy); does nothing if it exists. */
    public void createDatabase(String name) {
        createDatabase(url(), name);
    }

    /**
     * Creates a database on any InfluxDB 1.x (or a 2.x/3.x with the v1 API); does nothing if it exists. Shared
     * with test-support, whose containerized InfluxDB needs the same.
     */
    public static void createDatabase(String url, String name) {
        String query = "CREATE DATABASE \"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/query"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            // InfluxDB answers 200 even when a statement fails; the error is in the JSON body.
            if (response.statusCode() != 200 || response.body().contains("\"error\"")) {
                throw new InfraException("InfluxDB at " + url + " refused " + query + ": HTTP "
                        + response.statusCode() + " " + response.body().trim());
            }
        } catch (IOException e) {
            throw new InfraException("cannot reach InfluxDB at " + url + " to create database " + name + ": " + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while creating database " + name, e);
        }
    }

    /** True when {@code url}/ping answers 204 within two seconds. */
    public static boolean ping(String url) {
        return answers(url + "/ping", 204);
    }

    /** Options of a {@link LocalInfluxDb}; only the data folder is required. */
    public static final class Builder extends ManagedProcess.Builder<Builder, LocalInfluxDb> {
        private Path binary;
        private boolean authEnabled;

        private Builder() {
            // The HTTP port and the RPC port; start timeout 90 s: influxd answers /ping only after it has opened
            // its shards and replayed their WAL, which took over 30 s for a few hours of 10,000 chips on a loaded
            // 2-core machine (a fresh data dir answers in about a second).
            super(2, Duration.ofSeconds(90));
        }

        /** RPC (backup/restore) port on 127.0.0.1; 0 (default) picks a free one at the first start. */
        public Builder rpcPort(int rpcPort) {
            return port(RPC, rpcPort);
        }

        /**
         * Turns on {@code [http] auth-enabled}: every request but {@code /ping} then needs a user, created by
         * {@link InfluxDbUsers#bootstrap} (default off, as tests' throwaway servers run).
         */
        public Builder authEnabled(boolean authEnabled) {
            this.authEnabled = authEnabled;
            return this;
        }

        /** The influxd binary; default: {@link #findInfluxd()}. */
        public Builder binary(Path binary) {
            this.binary = binary;
            return this;
        }

        @Override
        protected LocalInfluxDb create() {
            return new LocalInfluxDb(this);
        }
    }
}
