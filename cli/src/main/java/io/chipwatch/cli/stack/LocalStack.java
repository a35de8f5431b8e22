package io.chipwatch.cli.stack;

import io.chipwatch.alerting.AlertmanagerConfig;
import io.chipwatch.alerting.LocalAlertmanager;
import io.chipwatch.infra.LocalInfluxDb;
import io.chipwatch.infra.LocalKafka;
import io.chipwatch.infra.LocalProcess;
import io.chipwatch.infra.ProcessControl;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The local stack on this machine: InfluxDB, a Kafka broker, Alertmanager, the Flink aggregation and detection jobs
 * (each on a local MiniCluster with its web UI), the alerting service and the collector, each its own detached
 * process with data and logs under {@code var/}.
 * {@link #up} is idempotent: it starts only what is not running, on the ports it used before.
 */
public final class LocalStack {
    public static final String INFLUXDB = "influxdb";
    public static final String KAFKA = "kafka";
    public static final String FLINK = "flink";
    public static final String DETECTION = "detection";
    public static final String COLLECTOR = "collector";
    /** Started only where this machine has Grafana (see {@link GrafanaLauncher}); not in {@link #COMPONENTS}. */
    public static final String GRAFANA = "grafana";
    public static final String ALERTMANAGER = "alertmanager";
    public static final String ALERTING = "alerting";
    /** Start order; {@code down} stops in reverse, so producers stop before what they write to. */
    public static final List<String> COMPONENTS = List.of(INFLUXDB, KAFKA, ALERTMANAGER, FLINK, DETECTION, ALERTING,
            COLLECTOR);

    public static final String DATABASE = "telemetry";
    public static final String SAMPLES_TOPIC = "chip-samples";
    public static final String DEAD_LETTER_TOPIC = "chip-samples-dead-letter";
    public static final String TRUTH_TOPIC = "fault-truth";
    public static final String ANOMALIES_TOPIC = "anomalies";
    static final int SAMPLE_PARTITIONS = 8;

    private final StackLayout layout;
    private final StackProcesses processes;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LocalStack(StackLayout layout, PrintStream out) {
        this.layout = layout;
        this.processes = new StackProcesses(layout);
        this.out = out;
    }

    public StackLayout layout() {
        return layout;
    }

    public StackState state() throws IOException {
        return StackState.load(layout.stateFile());
    }

    /** Starts every component that is not running yet; returns the state with ports and pids. */
    public StackState up(UpOptions options) throws Exception {
        Files.createDirectories(layout.logs());
        StackState state = state();
        if (state.chips != null && processes.alive(state.pids.get(COLLECTOR))
                && (state.chips != options.chips() || state.seed != options.seed())) {
            out.printf("note: the collector already runs with %d chips (seed %d); `down` first to change that%n",
                    state.chips, state.seed);
        }
        startInflux(state);
        startKafka(state);
        startAlertmanager(state);
        startFlink(state, options);
        startDetection(state);
        startAlerting(state, options);
        startCollector(state, options);
        startGrafana(state);
        return state;
    }

    private void startInflux(StackState state) throws Exception {
        if (running(state, INFLUXDB)) {
            return;
        }
        int http = Ports.preferred(state.port(INFLUXDB, "http"), 8086);
        int rpc = Ports.preferred(state.port(INFLUXDB, "rpc"), 8088);
        LocalInfluxDb influx = LocalInfluxDb.builder()
                .dataDir(layout.data(INFLUXDB))
                .port(http)
                .rpcPort(rpc)
                .logFile(layout.log(INFLUXDB))
                .detached(true)
                .build();
        long t0 = System.nanoTime();
        influx.start();
        influx.createDatabase(DATABASE);
        state.port(INFLUXDB, "http", http);
        state.port(INFLUXDB, "rpc", rpc);
        state.pids.put(INFLUXDB, influx.pid());
        state.save(layout.stateFile());
        started(INFLUXDB, t0, influx.url());
    }

    private void startKafka(StackState state) throws Exception {
        if (running(state, KAFKA)) {
            return;
        }
        int port = Ports.preferred(state.port(KAFKA, "broker"), 9092);
        int controller = Ports.preferred(state.port(KAFKA, "controller"), 19093);
        LocalKafka kafka = LocalKafka.builder()
                .dataDir(layout.data(KAFKA))
                .port(port)
                .controllerPort(controller)
                .logFile(layout.log(KAFKA))
                .detached(true)
                .build();
        long t0 = System.nanoTime();
        kafka.start();
        kafka.createTopic(SAMPLES_TOPIC, SAMPLE_PARTITIONS);
        kafka.createTopic(DEAD_LETTER_TOPIC, 1);
        kafka.createTopic(TRUTH_TOPIC, 1);
        kafka.createTopic(ANOMALIES_TOPIC, 4);
        state.port(KAFKA, "broker", port);
        state.port(KAFKA, "controller", controller);
        state.pids.put(KAFKA, kafka.pid());
        state.save(layout.stateFile());
        started(KAFKA, t0, kafka.bootstrapServers());
    }

    private void startAlertmanager(StackState state) throws Exception {
        if (running(state, ALERTMANAGER)) {
            return;
        }
        int port = Ports.preferred(state.port(ALERTMANAGER, "http"), 9093);
        LocalAlertmanager alertmanager = LocalAlertmanager.builder()
                .dataDir(layout.data(ALERTMANAGER))
                .port(port)
                .logFile(layout.log(ALERTMANAGER))
                .detached(true)
                .config(AlertmanagerConfig.nullReceiver())
                .build();
        long t0 = System.nanoTime();
        alertmanager.start();
        state.port(ALERTMANAGER, "http", port);
        state.pids.put(ALERTMANAGER, alertmanager.pid());
        state.save(layout.stateFile());
        started(ALERTMANAGER, t0, alertmanager.url());
    }

    private void startAlerting(StackState state, UpOptions options) throws Exception {
        if (running(state, ALERTING)) {
            return;
        }
        int port = Ports.preferred(state.port(ALERTING, "http"), 9095);
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("--bootstrap", kafkaBootstrap(state),
                "--anomalies-topic", ANOMALIES_TOPIC,
                "--influx-url", influxUrl(state),
                "--influx-db", DATABASE,
                "--alertmanager-url", alertmanagerUrl(state),
                "--port", String.valueOf(port),
                "--token-file", alertingTokenFile().toString()));
        for (String webhook : options.webhooks()) {
            args.add("--webhook");
            args.add(webhook);
        }
        LocalProcess p = new JavaProcess(layout).start(ALERTING, "alerting",
                List.of("-Xmx256m", "-XX:+UseSerialGC"), "io.chipwatch.alerting.AlertingMain", args);
        state.port(ALERTING, "http", port);
        state.pids.put(ALERTING, p.pid());
        state.save(layout.stateFile());
        awaitHttp(alertingUrl(state) + "/healthz", p, ALERTING, Duration.ofSeconds(60));
        started(ALERTING, t0, alertingUrl(state) + "  (token in " + alertingTokenFile() + ")");
    }

    private void awaitHttp(String url, LocalProcess p, String component, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(component + " exited at start (code " + p.exitCode().orElse(-1) + "); see "
                        + layout.log(component));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(component + " does not answer " + url + " after " + timeout.toSeconds()
                + " s; see " + layout.log(component));
    }

    /**
     * The alerting API's bearer token lives outside the checkout, so it never ends up in git:
     * {@code $XDG_CONFIG_HOME/chipwatch/alerting-token}, else {@code ~/.config/chipwatch/alerting-token}.
     */
    public static Path alertingTokenFile() {
        return configDir().resolve("alerting-token");
    }

    /** Grafana's generated admin password (when {@code CHIPWATCH_GRAFANA_ADMIN_PASSWORD} is not set). */
    public static Path grafanaPasswordFile() {
        return configDir().resolve("grafana-admin-password");
    }

    private static Path configDir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("chipwatch");
    }

    /**
     * Grafana with the provisioning of {@code dashboards/}, where this machine has a Grafana binary or a Docker
     * engine; otherwise says so plainly and goes on (every other component works without it).
     */
    private void startGrafana(StackState state) throws Exception {
        if (running(state, GRAFANA) || state.grafanaContainer != null && grafanaAnswers(state)) {
            return;
        }
        Optional<GrafanaLauncher.Runtime> runtime = GrafanaLauncher.find();
        if (runtime.isEmpty()) {
            out.printf("  %-10s not started: this machine has no Grafana binary (grafana, grafana-server) and no "
                    + "Docker engine; the dashboards are in dashboards/ (see its README)%n", GRAFANA);
            return;
        }
        int port = Ports.preferred(state.port(GRAFANA, "http"), 3000);
        Path dashboards = layout.root().resolve("dashboards");
        Path provisioning = dashboards.resolve("provisioning");
        String password = GrafanaLauncher.adminPassword(System.getenv(), grafanaPasswordFile());
        long t0 = System.nanoTime();
        LocalProcess p = null;
        if (runtime.get() instanceof GrafanaLauncher.Binary binary) {
            Path data = layout.data(GRAFANA);
            Files.createDirectories(data);
            LocalProcess.Builder grafana = LocalProcess.builder(GRAFANA)
                    .command(GrafanaLauncher.binaryCommand(binary, data, provisioning))
                    .workDir(binary.homePath())
                    .logFile(layout.log(GRAFANA))
                    .detached(true);
            GrafanaLauncher.environment(port, influxUrl(state), DATABASE, dashboards.resolve("dashboards").toString(),
                    password).forEach(grafana::environment);
            p = grafana.start();
            state.pids.put(GRAFANA, p.pid());
        } else {
            String name = "chipwatch-grafana-" + Integer.toHexString(layout.var().toString().hashCode());
            Process run = new ProcessBuilder(GrafanaLauncher.dockerCommand(name,
                    GrafanaLauncher.environment(port, influxUrl(state), DATABASE, "/var/lib/grafana/dashboards",
                            password), provisioning, dashboards.resolve("dashboards")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log(GRAFANA).toFile()))
                    .start();
            if (run.waitFor() != 0) {
                out.printf("  %-10s not started: docker run failed (exit %d); see %s%n", GRAFANA, run.exitValue(),
                        layout.log(GRAFANA));
                return;
            }
            state.grafanaContainer = name;
        }
        state.port(GRAFANA, "http", port);
        state.save(layout.stateFile());
        try {
            awaitHttp(grafanaUrl(state) + "/api/health", p, GRAFANA, Duration.ofSeconds(90));
        } catch (IllegalStateException e) {
            // Dashboards are a convenience: the stack stays up without them.
            out.printf("  %-10s did not come up: %s%n", GRAFANA, e.getMessage());
            return;
        }
        started(GRAFANA, t0, grafanaUrl(state) + "  (admin password: $" + GrafanaLauncher.PASSWORD_ENV + " or "
                + grafanaPasswordFile() + ")");
    }

    private boolean grafanaAnswers(StackState state) {
        String url = grafanaUrl(state);
        if (url == null) {
            return false;
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/api/health")).timeout(Duration.ofSeconds(3))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Grafana's URL while it answers, else {@code null} (as {@code status --json} reports it). */
    public String grafanaUrlIfUp(StackState state) {
        return grafanaAnswers(state) ? grafanaUrl(state) : null;
    }

    private void startFlink(StackState state, UpOptions options) throws Exception {
        if (running(state, FLINK)) {
            return;
        }
        int web = Ports.preferred(state.port(FLINK, "web"), 8081);
        long t0 = System.nanoTime();
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseG1GC"));
        jvm.addAll(flinkJvmOpens());
        LocalProcess p = new JavaProcess(layout).start(FLINK, "stream-jobs", jvm,
                "io.chipwatch.jobs.aggregation.AggregationJob",
                List.of("--bootstrap", kafkaBootstrap(state),
                        "--topic", SAMPLES_TOPIC,
                        "--influx-url", influxUrl(state),
                        "--influx-db", DATABASE,
                        "--web-port", String.valueOf(web),
                        "--chips", String.valueOf(options.chips()),
                        "--checkpoint-dir", layout.data(FLINK).resolve("checkpoints").toUri().toString(),
                        "--restore-latest"));
        state.port(FLINK, "web", web);
        state.pids.put(FLINK, p.pid());
        state.save(layout.stateFile());
        awaitFlinkJobRunning(flinkUrl(state), p, FLINK, Duration.ofSeconds(120));
        started(FLINK, t0, flinkUrl(state));
    }

    /**
     * The detection job, in a JVM of its own beside the aggregation job: either may be restarted (or fall over)
     * without the other. Its checkpoints hold the detectors' baselines and open anomalies, so a restart resumes
     * them instead of re-learning every chip and re-opening what is already open.
     */
    private void startDetection(StackState state) throws Exception {
        if (running(state, DETECTION)) {
            return;
        }
        int web = Ports.preferred(state.port(DETECTION, "web"), 8082);
        long t0 = System.nanoTime();
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseG1GC"));
        jvm.addAll(flinkJvmOpens());
        LocalProcess p = new JavaProcess(layout).start(DETECTION, "stream-jobs", jvm,
                "io.chipwatch.jobs.detection.DetectionJob",
                List.of("--bootstrap", kafkaBootstrap(state),
                        "--topic", SAMPLES_TOPIC,
                        "--anomalies-topic", ANOMALIES_TOPIC,
                        "--influx-url", influxUrl(state),
                        "--influx-db", DATABASE,
                        "--web-port", String.valueOf(web),
                        "--checkpoint-dir", layout.data(DETECTION).resolve("checkpoints").toString(),
                        "--restore-latest"));
        state.port(DETECTION, "web", web);
        state.pids.put(DETECTION, p.pid());
        state.save(layout.stateFile());
        awaitFlinkJobRunning(detectionUrl(state), p, DETECTION, Duration.ofSeconds(120));
        started(DETECTION, t0, detectionUrl(state));
    }

    private void startCollector(StackState state, UpOptions options) throws Exception {
        if (running(state, COLLECTOR)) {
            return;
        }
        long t0 = System.nanoTime();
        int metrics = Ports.preferred(state.port(COLLECTOR, "metrics"), 9400);
        List<String> args = new ArrayList<>(List.of("--bootstrap", kafkaBootstrap(state),
                "--topic", SAMPLES_TOPIC,
                "--truth-topic", TRUTH_TOPIC,
                "--chips", String.valueOf(options.chips()),
                "--seed", String.valueOf(options.seed()),
                "--metrics-port", String.valueOf(metrics)));
        if (options.scenario() != null) {
            args.add("--scenario");
            args.add(options.scenario().toAbsolutePath().toString());
        }
        LocalProcess p = new JavaProcess(layout).start(COLLECTOR, "collector",
                List.of("-Xmx1g", "-XX:+UseG1GC"), "io.chipwatch.collector.CollectorMain", args);
        state.port(COLLECTOR, "metrics", metrics);
        state.pids.put(COLLECTOR, p.pid());
        state.chips = options.chips();
        state.seed = options.seed();
        state.save(layout.stateFile());
        // Waiting for /healthz means `fault inject` works as soon as `up` returns.
        awaitHttp(collectorUrl(state) + "/healthz", p, COLLECTOR, Duration.ofSeconds(60));
        started(COLLECTOR, t0, options.chips() + " chips, seed " + options.seed());
    }

    private boolean running(StackState state, String component) {
        if (processes.alive(state.pids.get(component))) {
            out.printf("  %-10s already running (pid %d)%n", component, state.pids.get(component));
            return true;
        }
        return false;
    }

    private void started(String component, long t0, String where) {
        out.printf("  %-10s started in %.1f s  %s%n", component, (System.nanoTime() - t0) / 1e9, where);
    }

    private void awaitFlinkJobRunning(String flinkUrl, LocalProcess p, String component, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the Flink job (" + component + ") exited at start (code "
                        + p.exitCode().orElse(-1) + "); see " + layout.log(component));
            }
            if (flinkJobRunning(flinkUrl)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Flink job (" + component + ") is not RUNNING after "
                + timeout.toSeconds() + " s; see " + layout.log(component));
    }

    /** True when the Flink REST API lists a job in state RUNNING. */
    public boolean flinkJobRunning(String flinkUrl) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(flinkUrl + "/jobs/overview"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"state\":\"RUNNING\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops every component, collector first; with {@code purge} also deletes {@code var/}. */
    public void down(boolean purge) throws IOException {
        StackState state = state();
        stopGrafana(state);
        List<String> reverse = new ArrayList<>(COMPONENTS);
        java.util.Collections.reverse(reverse);
        for (String component : reverse) {
            var handle = processes.ours(state.pids.get(component));
            if (handle.isPresent()) {
                long t0 = System.nanoTime();
                ProcessControl.stop(handle.get().pid(), Duration.ofSeconds(20));
                out.printf("  %-10s stopped in %.1f s%n", component, (System.nanoTime() - t0) / 1e9);
            } else {
                out.printf("  %-10s not running%n", component);
            }
            state.pids.remove(component);
        }
        if (Files.exists(layout.stateFile())) {
            state.save(layout.stateFile());
        }
        if (purge && Files.exists(layout.var())) {
            try (Stream<Path> paths = Files.walk(layout.var())) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            out.println("  purged " + layout.var());
        }
    }

    private void stopGrafana(StackState state) throws IOException {
        var handle = processes.ours(state.pids.get(GRAFANA));
        if (handle.isPresent()) {
            long t0 = System.nanoTime();
            ProcessControl.stop(handle.get().pid(), Duration.ofSeconds(20));
            out.printf("  %-10s stopped in %.1f s%n", GRAFANA, (System.nanoTime() - t0) / 1e9);
        }
        state.pids.remove(GRAFANA);
        if (state.grafanaContainer != null) {
            try {
                new ProcessBuilder("docker", "rm", "-f", state.grafanaContainer)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                out.printf("  %-10s container %s removed%n", GRAFANA, state.grafanaContainer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            state.grafanaContainer = null;
        }
    }

    public boolean alive(StackState state, String component) {
        return processes.alive(state.pids.get(component));
    }

    public static String kafkaBootstrap(StackState state) {
        Integer port = state.port(KAFKA, "broker");
        return port == null ? null : "127.0.0.1:" + port;
    }

    public static String influxUrl(StackState state) {
        Integer port = state.port(INFLUXDB, "http");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    /** The collector's HTTP server: {@code /metrics} and the live fault control {@code /faults}. */
    public static String collectorUrl(StackState state) {
        Integer port = state.port(COLLECTOR, "metrics");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    public static String alertmanagerUrl(StackState state) {
        Integer port = state.port(ALERTMANAGER, "http");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    public static String alertingUrl(StackState state) {
        Integer port = state.port(ALERTING, "http");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    public static String flinkUrl(StackState state) {
        Integer port = state.port(FLINK, "web");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    public static String grafanaUrl(StackState state) {
        Integer port = state.port(GRAFANA, "http");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    /** Web UI of the detection job's local Flink cluster. */
    public static String detectionUrl(StackState state) {
        Integer port = state.port(DETECTION, "web");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    static List<String> flinkJvmOpens() throws IOException {
        Properties build = new Properties();
        try (InputStream in = LocalStack.class.getResourceAsStream("/chipwatch-build.properties")) {
            build.load(in);
        }
        return Arrays.asList(build.getProperty("flink.jvm.opens").trim().split("\\s+"));
    }
}
