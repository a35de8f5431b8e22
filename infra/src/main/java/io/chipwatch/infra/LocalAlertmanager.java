package io.chipwatch.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}, binary
 * {@code /usr/bin/prometheus-alertmanager}) as a process on a loopback port, beside {@link LocalKafka} and
 * {@link LocalInfluxDb}: the local stack's ({@link Builder#detached detached}, data under {@code var/alertmanager})
 * and the one tests hand alerts to (attached: it dies with the JVM).
 *
 * <p>{@link #start()} writes {@code alertmanager.yml} (from {@link AlertmanagerConfig}) into the data folder,
 * starts the process with clustering off and returns once {@code /-/ready} answers 200. {@link #stop()} and a
 * later {@link #start()} keep the port and the data (silences, notification log).
 *
 * <p>Alertmanager writes its notification log and silences to disk at every maintenance (default every 15 min) and
 * at a clean stop only: killed ({@code kill -9}, a crash, the machine's OOM killer), it came back without the log
 * and paged again every firing alert the alerting service re-posted, as new. It runs here with a maintenance every
 * {@link #MAINTENANCE_INTERVAL}, so that what it paged over a second before it died is not paged again.
 */
public final class LocalAlertmanager extends ManagedProcess<LocalAlertmanager> {
    /** Where Debian installs it. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    static final String NOT_INSTALLED = "Alertmanager is not installed: run ./telemetry test or "
            + "apt-get install prometheus-alertmanager";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** How often its notification log and silences are written to disk ({@code --data.maintenance-interval}). */
    public static final Duration MAINTENANCE_INTERVAL = Duration.ofSeconds(1);

    private final Path binary;
    private final AlertmanagerConfig config;

    private LocalAlertmanager(Builder b) {
        super("Alertmanager", "alertmanager.log", STOP_GRACE, b);
        this.binary = b.binary;
        this.config = b.config;
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
        return findExecutable(pathVariable, List.of("prometheus-alertmanager", "alertmanager"), DEBIAN_BINARY);
    }

    /** True when an Alertmanager binary is there (tests skip without one). */
    public static boolean installed() {
        return findBinary(System.getenv("PATH")).isPresent();
    }

    /** The command line {@link #start()} runs (for the local stack's records and for docs). */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add((binary != null ? binary : findBinary()).toString());
        cmd.add("--config.file=" + dataDir().resolve("alertmanager.yml"));
        cmd.add("--storage.path=" + dataDir().resolve("data"));
        cmd.add("--data.maintenance-interval=" + MAINTENANCE_INTERVAL.toSeconds() + "s");
        cmd.add("--web.listen-address=127.0.0.1:" + port());
        cmd.add("--web.external-url=" + url());
        cmd.add("--cluster.listen-address=");
        cmd.add("--log.level=info");
        return cmd;
    }

    /** Writes {@code alertmanager.yml} and runs Alertmanager; {@link #start()} returns once it is ready. */
    @Override
    protected LocalProcess.Builder prepare() {
        createDirectory("data");
        ownerOnly(write("alertmanager.yml", config.render())); // its webhook URLs may carry secrets
        return LocalProcess.builder("alertmanager").command(command());
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: left as created.
        }
    }

    @Override
    protected void awaitReady(long deadline) {
        await(() -> ready(url()), deadline, 50, "is not ready at " + url());
    }

    /** "http://127.0.0.1:PORT"; the port is known after the first start when the builder said 0. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    protected String address() {
        return url();
    }

    /** The notification log Alertmanager keeps on disk (written at every maintenance). */
    public Path notificationLog() {
        return notificationLog(dataDir());
    }

    /** The notification log of the Alertmanager whose data folder is {@code dataDir}. */
    public static Path notificationLog(Path dataDir) {
        return dataDir.resolve("data").resolve("nflog");
    }

    /** True when {@code url}/-/ready answers 200 within two seconds. */
    public static boolean ready(String url) {
        return answers(url + "/-/ready", 200);
    }

    /** Options of a {@link LocalAlertmanager}; only the data folder is required. */
    public static final class Builder extends ManagedProcess.Builder<Builder, LocalAlertmanager> {
        private Path binary;
        private AlertmanagerConfig config = AlertmanagerConfig.nullReceiver();

        private Builder() {
            // The HTTP port; start timeout 30 s.
            super(1, Duration.ofSeconds(30));
        }

        /** Its configuration; default {@link AlertmanagerConfig#nullReceiver()}. */
        public Builder config(AlertmanagerConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** The binary; default {@link #findBinary()}. */
        public Builder binary(Path binary) {
            this.binary = binary;
            return this;
        }

        @Override
        protected LocalAlertmanager create() {
            return new LocalAlertmanager(this);
        }
    }
}
