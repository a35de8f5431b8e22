package io.chipwatch.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The life of one real server run as a local process on loopback ports ({@link LocalKafka}, {@link LocalInfluxDb},
 * {@link LocalAlertmanager}): data folder, log file, ports picked at the first start and kept, pid, and
 * {@link #start()} / {@link #stop()} / {@link #close()} / {@link #isRunning()}. A subclass says what to write and
 * run ({@link #prepare()}) and when the server is ready ({@link #awaitReady(long)}).
 *
 * <p>{@link #stop()} and a later {@link #start()} keep the data folder and the ports, so the same address works
 * again: that is how tests simulate an outage. A failed start stops the process and throws an
 * {@link InfraException} whose message ends with the tail of the log file.
 *
 * @param <S> the concrete type, returned by {@link #start()}
 */
public abstract class ManagedProcess<S extends ManagedProcess<S>> implements AutoCloseable {

    /** One client for every probe: each HttpClient holds a selector thread of its own. */
    protected static final HttpClient HTTP = HttpClient.newBuilder()
            // The servers speak HTTP/1.1; this also spares every request an h2c upgrade header.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final Duration FAILED_START_GRACE = Duration.ofSeconds(5);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final Duration stopGrace;
    private final Path dataDir;
    private final Path logFile;
    private final boolean detached;
    private final Duration startTimeout;
    /** Picked at the first start where the builder said 0, then kept: a restart comes back on the same ports. */
    private final int[] ports;
    private LocalProcess process;
    private long lastPid = -1;

    /**
     * @param name        what log lines and error messages call the server ("Kafka broker", "influxd")
     * @param logFileName the log file's name in the data folder when the builder gave none
     * @param stopGrace   how long {@link #stop()} waits after SIGTERM before SIGKILL
     */
    protected ManagedProcess(String name, String logFileName, Duration stopGrace, Builder<?, S> b) {
        this.name = name;
        this.stopGrace = stopGrace;
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.logFile = (b.logFile != null ? b.logFile : dataDir.resolve(logFileName)).toAbsolutePath();
        this.detached = b.detached;
        this.startTimeout = b.startTimeout;
        this.ports = b.ports.clone();
    }

    /**
     * Writes what the server needs into the data folder (which exists, as does the log's folder) and says what to
     * run. The ports are known by then. The returned builder gets the working folder, log file and lifetime here.
     */
    protected abstract LocalProcess.Builder prepare();

    /** Returns once the started server serves; throws (see {@link #startFailure}) otherwise. */
    protected abstract void awaitReady(long deadlineNanos);

    /** Where clients reach it: a URL or {@code host:port}. */
    protected abstract String address();

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /**
     * Starts the server and returns once it is ready; does nothing if it is running.
     *
     * @throws InfraException when it does not come up within the start timeout (the message has the log's tail)
     */
    public final synchronized S start() {
        if (isRunning()) {
            return self();
        }
        long t0 = System.nanoTime();
        assignPorts();
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
        } catch (IOException e) {
            throw new InfraException("cannot create the folders of " + name + " in " + dataDir, e);
        }
        process = prepare()
                .workDir(dataDir)
                .logFile(logFile)
                .detached(detached)
                .start();
        lastPid = process.pid();
        try {
            awaitReady(t0 + startTimeout.toNanos());
        } catch (RuntimeException e) {
            process.stop(FAILED_START_GRACE);
            throw e;
        }
        log.info("{} up at {} (pid {}, {}) in {} ms; data {}", name, address(), lastPid,
                detached ? "detached" : "attached", (System.nanoTime() - t0) / 1_000_000, dataDir);
        return self();
    }

    /** Stops the server (SIGTERM, so it shuts down cleanly; SIGKILL after the grace). Keeps the data and ports. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long t0 = System.nanoTime();
        process.stop(stopGrace);
        process = null;
        log.info("{} {} (pid {}) stopped in {} ms", name, address(), lastPid, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The main port on 127.0.0.1; known after the first {@link #start()} when the builder said 0. */
    public synchronized int port() {
        return ports[0];
    }

    /** Port {@code index} of the builder's list (0 is {@link #port()}). */
    protected final synchronized int port(int index) {
        return ports[index];
    }

    /** The pid of the running server, or of the last one after {@link #stop()}. */
    public synchronized long pid() {
        if (lastPid < 0) {
            throw new IllegalStateException(name + " has not been started");
        }
        return lastPid;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** True: it outlives this JVM (local stack). False: it dies with this JVM (tests). */
    public boolean detached() {
        return detached;
    }

    /** Writes {@code content} to {@code file} of the data folder (creating its folder), replacing it. */
    protected final Path write(String file, String content) {
        Path path = dataDir.resolve(file);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new InfraException("cannot write the configuration of " + name + " into " + dataDir, e);
        }
        return path;
    }

    /** Creates folder {@code relative} of the data folder and returns it. */
    protected final Path createDirectory(String relative) {
        try {
            return Files.createDirectories(dataDir.resolve(relative));
        } catch (IOException e) {
            throw new InfraException("cannot create " + dataDir.resolve(relative), e);
        }
    }

    /**
     * Polls {@code ready} every {@code pollMillis} until it holds.
     *
     * @param notReady what is wrong when the deadline passes, after "NAME (pid N) ", e.g. "does not answer URL"
     * @throws InfraException when the process exits or the deadline passes (with the log's tail)
     */
    protected final void await(BooleanSupplier ready, long deadlineNanos, long pollMillis, String notReady) {
        while (!ready.getAsBoolean()) {
            checkAlive();
            if (System.nanoTime() > deadlineNanos) {
                throw startFailure(notReady);
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while waiting for " + name + " at " + address(), e);
            }
        }
    }

    /** @throws InfraException saying the process exited at start, with its exit code and the log's tail */
    protected final void checkAlive() {
        if (!process.isAlive()) {
            throw new InfraException(LogFiles.failure(name + " exited at start (code "
                    + process.exitCode().orElse(-1) + ")", logFile));
        }
    }

    /** "NAME (pid N) WHAT after T s", with the log's tail. */
    protected final InfraException startFailure(String what) {
        return new InfraException(LogFiles.failure(name + " (pid " + lastPid + ") " + what + " after "
                + startTimeout.toSeconds() + " s", logFile));
    }

    /**
     * The first of {@code names} that is an executable in a folder of {@code pathVariable} (a {@code PATH} value),
     * else {@code fallback} where it is executable: how each server finds its binary.
     */
    protected static Optional<Path> findExecutable(String pathVariable, List<String> names, Path fallback) {
        for (String dir : Optional.ofNullable(pathVariable).orElse("").split(File.pathSeparator)) {
            for (String name : names) {
                if (!dir.isBlank() && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name));
                }
            }
        }
        return Files.isExecutable(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    /** True when a GET of {@code url} answers {@code status} within two seconds. */
    protected static boolean answers(String url, int status) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while waiting for " + url, e);
        }
    }

    private void assignPorts() {
        if (Arrays.stream(ports).anyMatch(p -> p == 0)) {
            int[] free = FreePorts.pick(ports.length);
            for (int i = 0; i < ports.length; i++) {
                ports[i] = ports[i] == 0 ? free[i] : ports[i];
            }
        }
    }

    /**
     * Options every managed server has; only the data folder is required.
     *
     * @param <B> the concrete builder, returned by every setter
     * @param <P> what it builds
     */
    public abstract static class Builder<B extends Builder<B, P>, P extends ManagedProcess<P>> {
        private Path dataDir;
        private Path logFile;
        private boolean detached;
        private Duration startTimeout;
        private final int[] ports;

        /**
         * @param portCount           how many loopback ports the server listens on (the first is {@link #port})
         * @param defaultStartTimeout how long {@link ManagedProcess#start()} waits by default
         */
        protected Builder(int portCount, Duration defaultStartTimeout) {
            this.ports = new int[portCount];
            this.startTimeout = defaultStartTimeout;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Folder for configuration and data; reused as it is when it holds the server's data already. */
        public B dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return self();
        }

        /** The main port on 127.0.0.1; 0 (default) picks a free one at the first start. */
        public B port(int port) {
            return port(0, port);
        }

        /** Port {@code index} on 127.0.0.1; 0 (default) picks a free one at the first start. */
        protected final B port(int index, int port) {
            ports[index] = FreePorts.requireValid(port);
            return self();
        }

        /** Where the server's output goes (appended); default: a file of the data folder. */
        public B logFile(Path logFile) {
            this.logFile = logFile;
            return self();
        }

        /** True: the server outlives this JVM (local stack). False (default): it dies with this JVM (tests). */
        public B detached(boolean detached) {
            this.detached = detached;
            return self();
        }

        /** How long {@link ManagedProcess#start()} waits for the server to be ready. */
        public B startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return self();
        }

        /** @throws NullPointerException without a data folder */
        public final P build() {
            Objects.requireNonNull(dataDir, "dataDir is required");
            return create();
        }

        /** The server, from this builder's options (the data folder is set). */
        protected abstract P create();
    }
}
