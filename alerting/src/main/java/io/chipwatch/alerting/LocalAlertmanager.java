package io.chipwatch.alerting;

import io.chipwatch.infra.FreePorts;
import io.chipwatch.infra.InfraException;
import io.chipwatch.infra.LocalProcess;
import io.chipwatch.infra.LogFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}, binary
 * {@code /usr/bin/prometheus-alertmanager}) as a process on a loopback port, analogous to infra's
 * {@code LocalKafka} and {@code LocalInfluxDb}: the local stack's ({@link Builder#detached detached}, data under
 * {@code var/alertmanager}) and the one tests hand alerts to (attached: it dies with the JVM).
 *
 * <p>{@link #start()} writes {@code alertmanager.yml} (from {@link AlertmanagerConfig}) into the data folder,
 * starts the process with clustering off and returns once {@code /-/ready} answers 200. {@link #stop()} and a
 * later {@link #start()} keep the port and the data (silences, notification log).
 */
public final class LocalAlertmanager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAlertmanager.class);
    /** Where Debian installs it. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    static final String NOT_INSTALLED = "Alertmanager is not installed: run ./telemetry test or "
            + "apt-get install prometheus-alertmanager";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dataDir;
    private final Path logFile;
    private final boolean detached;
    private final Duration startTimeout;
    private final Path binary;
    private final AlertmanagerConfig config;
    private int port;
    private LocalProcess process;
    private long lastPid = -1;

    private LocalAlertmanager(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.logFile = (b.logFile != null ? b.logFile : dataDir.resolve("alertmanager.log")).toAbsolutePath();
        this.detached = b.detached;
        this.startTimeout = b.startTimeout;
        this.binary = b.binary;
        this.config = b.config;
        this.port = b.port;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The binary to run: {@code prometheus-alertmanager} or {@code alertmanager} on the PATH, else Debian's.
     *
     * @throws InfraException saying how to install it
     */
    public static Path findBinary() {
        return findBinary(System.getenv("PATH")).orElseThrow(() -> new InfraException(NOT_INSTALLED));
    }

    static Optional<Path> findBinary(String pathVariable) {
        for (String dir : Optional.ofNullable(pathVariable).orElse("").split(java.io.File.pathSeparator)) {
            for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
                if (!dir.isBlank() && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name));
                }
            }
        }
        return Files.isExecutable(DEBIAN_BINARY) ? Optional.of(DEBIAN_BINARY) : Optional.empty();
    }

    /** True when an Alertmanager binary is there (tests skip without one). */
    public static boolean installed() {
        return findBinary(System.getenv("PATH")).isPresent();
    }

    /** The command line {@link #start()} runs (for the local stack's records and for docs). */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add((binary != null ? binary : findBinary()).toString());
        cmd.add("--config.file=" + dataDir.resolve("alertmanager.yml"));
        cmd.add("--storage.path=" + dataDir.resolve("data"));
        cmd.add("--web.listen-address=127.0.0.1:" + port);
        cmd.add("--web.external-url=" + url());
        cmd.add("--cluster.listen-address=");
        cmd.add("--log.level=info");
        return cmd;
    }

    /**
     * Starts Alertmanager and returns once {@code /-/ready} answers 200; does nothing if it runs.
     *
     * @throws InfraException when the binary is missing or it does not come up (with the log's tail)
     */
    public synchronized LocalAlertmanager start() {
        if (isRunning()) {
            return this;
        }
        long t0 = System.nanoTime();
        if (port == 0) {
            port = FreePorts.pick();
        }
        try {
            Files.createDirectories(dataDir.resolve("data"));
            Files.createDirectories(logFile.getParent());
            Files.writeString(dataDir.resolve("alertmanager.yml"), config.render());
        } catch (IOException e) {
            throw new InfraException("cannot write the Alertmanager configuration into " + dataDir, e);
        }
        process = LocalProcess.builder("alertmanager")
                .command(command())
                .workDir(dataDir)
                .logFile(logFile)
                .detached(detached)
                .start();
        lastPid = process.pid();
        try {
            awaitReady(t0);
        } catch (RuntimeException e) {
            process.stop(Duration.ofSeconds(5));
            throw e;
        }
        LOG.info("Alertmanager up at {} (pid {}, {}) in {} ms; data {}", url(), lastPid,
                detached ? "detached" : "attached", (System.nanoTime() - t0) / 1_000_000, dataDir);
        return this;
    }

    /** Stops it (SIGTERM, SIGKILL after 10 s); keeps the port and data. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.stop(Duration.ofSeconds(10));
        process = null;
        LOG.info("Alertmanager {} (pid {}) stopped", url(), lastPid);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** "http://127.0.0.1:PORT"; the port is known after the first start when the builder said 0. */
    public synchronized String url() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized int port() {
        return port;
    }

    /** The pid of the running process, or of the last one after {@link #stop()}. */
    public synchronized long pid() {
        if (lastPid < 0) {
            throw new IllegalStateException("Alertmanager has not been started");
        }
        return lastPid;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** True when {@code url}/-/ready answers 200 within two seconds. */
    public static boolean ready(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while waiting for Alertmanager at " + url, e);
        }
    }

    private void awaitReady(long t0) {
        long deadline = t0 + startTimeout.toNanos();
        while (!ready(url())) {
            if (!process.isAlive()) {
                throw new InfraException(LogFiles.failure("Alertmanager exited at start (code "
                        + process.exitCode().orElse(-1) + ")", logFile));
            }
            if (System.nanoTime() > deadline) {
                throw new InfraException(LogFiles.failure("Alertmanager (pid " + lastPid + ") is not ready at "
                        + url() + " after " + startTimeout.toSeconds() + " s", logFile));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while waiting for Alertmanager", e);
            }
        }
    }

    /** Options of a {@link LocalAlertmanager}; only the data folder is required. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private Path logFile;
        private boolean detached;
        private Duration startTimeout = Duration.ofSeconds(30);
        private Path binary;
        private AlertmanagerConfig config = AlertmanagerConfig.nullReceiver();

        private Builder() {
        }

        /** Folder for alertmanager.yml and {@code data/} (silences, notification log). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 (default) picks a free one at the first start. */
        public Builder port(int port) {
            this.port = FreePorts.requireValid(port);
            return this;
        }

        /** Where its output goes (appended); default {@code dataDir/alertmanager.log}. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** True: outlives this JVM (local stack). False (default): dies with this JVM (tests). */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        /** Its configuration; default {@link AlertmanagerConfig#nullReceiver()}. */
        public Builder config(AlertmanagerConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** The binary; default {@link #findBinary()}. */
        public Builder binary(Path binary) {
            this.binary = binary;
            return this;
        }

        public LocalAlertmanager build() {
            Objects.requireNonNull(dataDir, "dataDir is required");
            return new LocalAlertmanager(this);
        }
    }
}
