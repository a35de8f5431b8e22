package io.chipwatch.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
public final class LocalInfluxDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInfluxDb.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** One client for every ping and query: each HttpClient holds a selector thread of its own. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            // influxd speaks HTTP/1.1 only; this also spares every request an h2c upgrade header.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    static final String NOT_INSTALLED =
            "InfluxDB is not installed: run ./telemetry test or apt-get install influxdb";

    private final Path dataDir;
    private final Path logFile;
    private final boolean detached;
    private final Duration startTimeout;
    private final Path binary;
    /** Picked at the first start when the builder said 0, then kept: a restart comes back on the same ports. */
    private int port;
    private int rpcPort;
    private LocalProcess process;
    private long lastPid = -1;

    private LocalInfluxDb(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.logFile = (b.logFile != null ? b.logFile : dataDir.resolve("influxdb.log")).toAbsolutePath();
        this.detached = b.detached;
        this.startTimeout = b.startTimeout;
        this.binary = b.binary;
        this.port = b.port;
        this.rpcPort = b.rpcPort;
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
        for (String dir : Optional.ofNullable(pathVariable).orElse("").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "influxd"))) {
                return Optional.of(Path.of(dir, "influxd"));
            }
        }
        return fallbacks.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts influxd and returns once {@code /ping} answers 204; does nothing if it is running.
     *
     * @throws InfraException when influxd is missing or does not come up (the message has the log's tail)
     */
    public synchronized LocalInfluxDb start() {
        if (isRunning()) {
            return this;
        }
        long t0 = System.nanoTime();
        Path influxd = binary != null ? binary : findInfluxd();
        assignPorts();
        Path config = dataDir.resolve("influxdb.conf");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            Files.writeString(config, new InfluxDbConfig(dataDir, port, rpcPort).render());
        } catch (IOException e) {
            throw new InfraException("cannot write the InfluxDB configuration into " + dataDir, e);
        }
        process = LocalProcess.builder("influxdb")
                .command(List.of(influxd.toString(), "run", "-config", config.toString()))
                .workDir(dataDir)
                .logFile(logFile)
                // influxd lets INFLUXDB_* variables override its config file: ours must win.
                .removeEnvironmentStartingWith("INFLUXDB_")
                .detached(detached)
                .start();
        lastPid = process.pid();
        try {
            awaitPing(t0);
        } catch (RuntimeException e) {
            process.stop(Duration.ofSeconds(5));
            throw e;
        }
        LOG.info("InfluxDB up at {} (pid {}, {}) in {} ms; data {}", url(), lastPid,
                detached ? "detached" : "attached", (System.nanoTime() - t0) / 1_000_000, dataDir);
        return this;
    }

    /** Stops influxd (SIGTERM, SIGKILL after 15 s). Keeps the data and ports. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long t0 = System.nanoTime();
        process.stop(STOP_GRACE);
        process = null;
        LOG.info("InfluxDB {} (pid {}) stopped in {} ms", url(), lastPid, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** "http://127.0.0.1:PORT"; the port is known after the first {@link #start()} when the builder said 0. */
    public synchronized String url() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized int port() {
        return port;
    }

    public synchronized int rpcPort() {
        return rpcPort;
    }

    /** The pid of the running influxd, or of the last one after {@link #stop()}. */
    public synchronized long pid() {
        if (lastPid < 0) {
            throw new IllegalStateException("InfluxDB has not been started");
        }
        return lastPid;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
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
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/ping"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while waiting for InfluxDB at " + url, e);
        }
    }

    private void awaitPing(long t0) {
        long deadline = t0 + startTimeout.toNanos();
        while (!ping(url())) {
            if (!process.isAlive()) {
                throw new InfraException(LogFiles.failure("influxd exited at start (code "
                        + process.exitCode().orElse(-1) + ")", logFile));
            }
            if (System.nanoTime() > deadline) {
                throw new InfraException(LogFiles.failure("influxd (pid " + lastPid + ") does not answer "
                        + url() + "/ping after " + startTimeout.toSeconds() + " s", logFile));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while waiting for InfluxDB at " + url(), e);
            }
        }
    }

    private void assignPorts() {
        if (port == 0 || rpcPort == 0) {
            int[] free = FreePorts.pick(2);
            port = port == 0 ? free[0] : port;
            rpcPort = rpcPort == 0 ? free[1] : rpcPort;
        }
    }

    /** Options of a {@link LocalInfluxDb}; only the data folder is required. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int rpcPort;
        private Path logFile;
        private boolean detached;
        private Duration startTimeout = Duration.ofSeconds(30);
        private Path binary;

        private Builder() {
        }

        /** Folder for configuration, metadata, data and WAL; reused as it is when it holds a database. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 (default) picks a free one at the first start. */
        public Builder port(int port) {
            this.port = FreePorts.requireValid(port);
            return this;
        }

        /** RPC (backup/restore) port on 127.0.0.1; 0 (default) picks a free one at the first start. */
        public Builder rpcPort(int rpcPort) {
            this.rpcPort = FreePorts.requireValid(rpcPort);
            return this;
        }

        /** Where influxd's output goes (appended); default {@code dataDir/influxdb.log}. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** True: influxd outlives this JVM (local stack). False (default): it dies with this JVM (tests). */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        /** How long {@link #start()} waits for /ping; default 30 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** The influxd binary; default: {@link #findInfluxd()}. */
        public Builder binary(Path binary) {
            this.binary = binary;
            return this;
        }

        public LocalInfluxDb build() {
            Objects.requireNonNull(dataDir, "dataDir is required");
            return new LocalInfluxDb(this);
        }

    }
}
