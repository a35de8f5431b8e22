package io.chipwatch.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Prometheus server (Debian package {@code prometheus}, binary {@code /usr/bin/prometheus}) as a process on a
 * loopback port: the peer {@code ./telemetry bench --peer prometheus} measures the pipeline against. Never the
 * Debian service: a plain process with its configuration, rules and TSDB in its data folder.
 *
 * <p>{@link #start()} writes {@code prometheus.yml} (one scrape job, {@link Builder#scrapeTarget}, at
 * {@link Builder#scrapeInterval}, rules evaluated at the same interval) and {@code rules.yml}
 * ({@link Builder#rules}, verbatim) into the data folder and returns once {@code /-/ready} answers 200.
 */
public final class LocalPrometheus extends ManagedProcess<LocalPrometheus> {
    /** Where Debian installs it. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus");
    static final String NOT_INSTALLED = "Prometheus is not installed: run ./telemetry bench (it installs Debian's "
            + "prometheus package) or apt-get install prometheus";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path binary;
    private final String target;
    private final String metricsPath;
    private final Duration interval;
    private final String rules;

    private LocalPrometheus(Builder b) {
        super("Prometheus", "prometheus.log", STOP_GRACE, b);
        this.binary = b.binary;
        this.target = Objects.requireNonNull(b.target, "scrapeTarget");
        this.metricsPath = b.metricsPath;
        this.interval = b.interval;
        this.rules = b.rules;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The binary to run: {@code prometheus} on the PATH, else Debian's.
     *
     * @throws InfraException saying how to install it
     */
    public static Path findBinary() {
        return findBinary(System.getenv("PATH")).orElseThrow(() -> new InfraException(NOT_INSTALLED));
    }

    static Optional<Path> findBinary(String pathVariable) {
        return findExecutable(pathVariable, List.of("prometheus"), DEBIAN_BINARY);
    }

    /** True when a Prometheus binary is there. */
    public static boolean installed() {
        return findBinary(System.getenv("PATH")).isPresent();
    }

    /** The configuration {@link #start()} writes: one job scraping the target, rules from {@code rules.yml}. */
    public String config() {
        String every = interval.toMillis() + "ms";
        return "global:\n"
                + "  scrape_interval: " + every + "\n"
                + "  scrape_timeout: " + every + "\n"
                + "  evaluation_interval: " + every + "\n"
                + "rule_files: [rules.yml]\n"
                + "scrape_configs:\n"
                + "  - job_name: target\n"
                + "    metrics_path: " + metricsPath + "\n"
                + "    static_configs:\n"
                + "      - targets: ['" + target + "']\n";
    }

    /** The command line {@link #start()} runs. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add((binary != null ? binary : findBinary()).toString());
        cmd.add("--config.file=" + dataDir().resolve("prometheus.yml"));
        cmd.add("--storage.tsdb.path=" + dataDir().resolve("data"));
        cmd.add("--web.listen-address=127.0.0.1:" + port());
        cmd.add("--log.level=warn");
        return cmd;
    }

    @Override
    protected LocalProcess.Builder prepare() {
        createDirectory("data");
        write("prometheus.yml", config());
        write("rules.yml", rules);
        return LocalProcess.builder("prometheus").command(command());
    }

    @Override
    protected void awaitReady(long deadline) {
        await(() -> answers(url() + "/-/ready", 200), deadline, 100, "is not ready at " + url());
    }

    /** "http://127.0.0.1:PORT". */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    protected String address() {
        return url();
    }

    /** Options of a {@link LocalPrometheus}; the data folder and the scrape target are required. */
    public static final class Builder extends ManagedProcess.Builder<Builder, LocalPrometheus> {
        private Path binary;
        private String target;
        private String metricsPath = "/metrics";
        private Duration interval = Duration.ofSeconds(1);
        private String rules = "groups: []\n";

        private Builder() {
            // The HTTP port; start timeout 60 s (a TSDB from an earlier run replays its WAL).
            super(1, Duration.ofSeconds(60));
        }

        /** What to scrape: {@code HOST:PORT}. */
        public Builder scrapeTarget(String hostPort) {
            this.target = Objects.requireNonNull(hostPort, "hostPort");
            return this;
        }

        /** The target's metrics path; default {@code /metrics}. */
        public Builder metricsPath(String path) {
            this.metricsPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Scrape and rule evaluation interval (the scrape timeout too); default 1 s. */
        public Builder scrapeInterval(Duration interval) {
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("scrapeInterval must be at least 1 ms, got " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The rules file, as Prometheus reads it (YAML {@code groups:}); default none. */
        public Builder rules(String rulesYaml) {
            this.rules = Objects.requireNonNull(rulesYaml, "rulesYaml");
            return this;
        }

        /** The binary; default {@link #findBinary()}. */
        public Builder binary(Path binary) {
            this.binary = binary;
            return this;
        }

        @Override
        protected LocalPrometheus create() {
            return new LocalPrometheus(this);
        }
    }
}
