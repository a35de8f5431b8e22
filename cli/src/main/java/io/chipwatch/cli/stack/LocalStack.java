package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.cli.stack.supervise.SupervisorProcess;
import io.chipwatch.infra.ProcessControl;
import io.chipwatch.infra.kafka.KafkaCredentialFiles;
import io.chipwatch.infra.kafka.KafkaRole;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.kafka.KafkaClientSecurity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local stack on this machine: InfluxDB, a Kafka broker, Alertmanager, the Flink aggregation and detection jobs
 * (each on a local MiniCluster with its web UI), the alerting service and the collector, each its own detached
 * process with data and logs under {@code var/}. Each is a {@link StackComponent} ({@link StackComponents});
 * {@link #up} runs the same sequence for each, and is idempotent: it starts only what is not running, on the ports
 * it used before.
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

    public static final String DATABASE = "telemetry";
    public static final String SAMPLES_TOPIC = "chip-samples";
    public static final String DEAD_LETTER_TOPIC = "chip-samples-dead-letter";
    public static final String TRUTH_TOPIC = "fault-truth";
    public static final String ANOMALIES_TOPIC = "anomalies";

    /** Start order; {@code down} stops in reverse, so producers stop before what they write to. */
    public static final List<String> COMPONENTS = StackComponents.ALL.stream().map(StackComponent::name).toList();

    private final StackLayout layout;
    private final StackProcesses processes;
    private final PrintStream out;
    private final List<StackComponent> components;

    public LocalStack(StackLayout layout, PrintStream out) {
        this(layout, out, Stream.concat(StackComponents.ALL.stream(), Stream.of(StackComponents.GRAFANA)).toList());
    }

    /** A stack of other components (tests of the start sequence). */
    LocalStack(StackLayout layout, PrintStream out, List<StackComponent> components) {
        this.layout = layout;
        this.processes = new StackProcesses(layout);
        this.out = out;
        this.components = List.copyOf(components);
    }

    public StackLayout layout() {
        return layout;
    }

    public StackState state() throws IOException {
        return StackState.load(layout.stateFile());
    }

    /**
     * Starts every component that is not running yet; returns the state with ports and pids. A supervisor left by a
     * previous {@code up} is stopped first, so that it does not start the same component at the same time
     * ({@link #supervise} starts a new one).
     */
    public StackState up(UpOptions options) throws Exception {
        Files.createDirectories(layout.logs());
        SupervisorProcess.stop(layout, out);
        StackState state = state();
        useSize(state, options.cluster());
        if (state.chips != null && processes.alive(state.pids.get(COLLECTOR))
                && (state.chips != options.chips() || state.seed != options.seed())) {
            out.printf("note: the collector already runs with %d chips (seed %d); `down` first to change that%n",
                    state.chips, state.seed);
        }
        for (StackComponent component : components(options)) {
            start(component, state, options);
        }
        return state;
    }

    /**
     * Records the stack's shape ({@code --cluster} or not) in the state; refuses to mix shapes while any component of
     * the other one runs.
     */
    private void useSize(StackState state, ClusterSize cluster) {
        if (Objects.equals(state.cluster, cluster)) {
            return;
        }
        if (state.pids.values().stream().anyMatch(processes::alive)) {
            throw new IllegalStateException("the stack runs " + (state.cluster == null ? "without --cluster"
                    : "with --cluster " + state.cluster) + ": `./telemetry down` first to change that");
        }
        state.cluster = cluster;
    }

    /** The components {@code up} starts with these options, in start order. */
    private List<StackComponent> components(UpOptions options) {
        if (options.cluster() == null) {
            return components;
        }
        return Stream.concat(ClusterComponents.all(options.cluster()).stream(), Stream.of(StackComponents.GRAFANA))
                .toList();
    }

    /**
     * The names of the components a stack started with these options runs, in start order: {@link #COMPONENTS}, or
     * with {@code --cluster} those of {@link ClusterComponents}.
     */
    public static List<String> componentNames(ClusterSize cluster) {
        return cluster == null ? COMPONENTS : ClusterComponents.names(cluster);
    }

    /**
     * The sequence every component goes through: running already? → its ports (the ones it had, else the usual,
     * else any free) → start → record ports and pid → save the state (so {@code down} finds it even when it fails
     * to get ready) → await readiness → say where it is.
     */
    private void start(StackComponent component, StackState state, UpOptions options) throws Exception {
        String name = component.name();
        if (running(state, name) || component.runsUnseen().test(state)) {
            return;
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Port port : component.ports()) {
            ports.put(port.name(), Ports.preferred(state.port(name, port.name()), port.usual()));
        }
        Launch launch = new Launch(layout, state, options, component, ports, out);
        long t0 = System.nanoTime();
        Optional<Started> started = component.launcher().start(launch);
        if (started.isEmpty()) {
            return;
        }
        ports.forEach((portName, port) -> state.port(name, portName, port));
        started.get().pid().ifPresent(pid -> state.pids.put(name, pid));
        state.save(layout.stateFile());
        if (component.readiness().await(launch, started.get())) {
            out.printf("  %-10s started in %.1f s  %s%n", name, (System.nanoTime() - t0) / 1e9,
                    component.where().apply(launch));
        }
    }

    private boolean running(StackState state, String component) {
        if (processes.alive(state.pids.get(component))) {
            out.printf("  %-10s already running (pid %d)%n", component, state.pids.get(component));
            return true;
        }
        return false;
    }

    /**
     * Starts the component again (on the ports it had, where they are free), records its new pid and returns once
     * it serves: what the supervisor does with a component that died. A Flink job resumes from its latest
     * checkpoint ({@code --restore-latest} on the same checkpoint folder).
     *
     * @return its pid
     */
    public long restart(String component, UpOptions options) throws Exception {
        StackState state = state();
        StackComponent c = components(options).stream().filter(x -> x.name().equals(component)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stack component " + component));
        start(c, state, options);
        Long pid = state.pids.get(component);
        if (pid == null) {
            throw new IllegalStateException(component + " was not started");
        }
        return pid;
    }

    /**
     * Leaves a supervisor ({@link SupervisorProcess}) that restarts what dies; {@link #down} stops it first.
     *
     * @return its pid
     */
    public long supervise(UpOptions options) throws IOException, InterruptedException {
        return SupervisorProcess.start(layout, options);
    }

    /**
     * Stops the supervisor (so it cannot restart what follows), then every component, collector first; with
     * {@code purge} also deletes {@code var/}.
     */
    public void down(boolean purge) throws IOException {
        SupervisorProcess.stop(layout, out);
        StackState state = state();
        StackGrafana.stop(state, processes, out);
        List<String> reverse = new ArrayList<>(state.cluster == null ? COMPONENTS
                : ClusterComponents.processes(state.cluster));
        Collections.reverse(reverse);
        List<String> brokers = state.cluster == null ? List.of() : ClusterComponents.kafkaNames(state.cluster);
        for (String component : reverse) {
            if (!brokers.contains(component)) {
                stop(state, component);
            } else if (component.equals(brokers.get(brokers.size() - 1))) {
                // Together: the last broker stopped alone waits its whole grace for a quorum that is gone.
                stopTogether(state, brokers);
            }
        }
        if (state.cluster != null && state.pids.keySet().removeAll(List.of(FLINK, DETECTION))
                && Files.exists(layout.stateFile())) {
            // The jobs' pid was the JobManager's.
            state.save(layout.stateFile());
        }
        if (purge && Files.exists(layout.var())) {
            try (Stream<Path> paths = Files.walk(layout.var())) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            out.println("  purged " + layout.var());
        }
    }

    /** As {@link #stop}, for components that must be signalled at once (a KRaft quorum's brokers). */
    private void stopTogether(StackState state, List<String> components) throws IOException {
        List<ProcessHandle> running = new ArrayList<>();
        for (String component : components) {
            processes.ours(state.pids.get(component)).ifPresent(running::add);
        }
        long t0 = System.nanoTime();
        ProcessControl.stopAll(running, Duration.ofSeconds(20));
        out.printf("  %-10s stopped in %.1f s%n", String.join(",", components), (System.nanoTime() - t0) / 1e9);
        state.pids.keySet().removeAll(components);
        if (Files.exists(layout.stateFile())) {
            state.save(layout.stateFile());
        }
    }

    /** Stops one component (SIGTERM, then SIGKILL after 20 s) and forgets its pid; keeps its data and ports. */
    public void stop(StackState state, String component) throws IOException {
        var handle = processes.ours(state.pids.get(component));
        if (handle.isPresent()) {
            long t0 = System.nanoTime();
            ProcessControl.stop(handle.get().pid(), Duration.ofSeconds(20));
            out.printf("  %-10s stopped in %.1f s%n", component, (System.nanoTime() - t0) / 1e9);
        } else {
            out.printf("  %-10s not running%n", component);
        }
        state.pids.remove(component);
        if (Files.exists(layout.stateFile())) {
            state.save(layout.stateFile());
        }
    }

    public boolean alive(StackState state, String component) {
        return processes.alive(state.pids.get(component));
    }

    /**
     * Where a component of a stack with this state is reached: {@code http://127.0.0.1:PORT} (Kafka:
     * {@code 127.0.0.1:PORT}, its bootstrap address; the collector: its {@code /metrics} and {@code /faults} server;
     * flink and detection: the web UI of each job's local Flink cluster), or {@code null} when it never had a port.
     *
     * @throws IllegalArgumentException for a name that is no component
     */
    public static String url(StackState state, String component) {
        if (state.cluster != null) {
            return ClusterComponents.url(state, component);
        }
        return StackComponents.named(component).url(state);
    }

    /** True when the Flink REST API lists a job in state RUNNING. */
    public boolean flinkJobRunning(String flinkUrl) {
        return StackProbes.flinkJobRunning(flinkUrl);
    }

    /** Grafana's URL while it answers, else {@code null} (as {@code status --json} reports it). */
    public String grafanaUrlIfUp(StackState state) {
        return StackGrafana.answers(state) ? url(state, GRAFANA) : null;
    }

    /**
     * The alerting API's bearer token lives outside the checkout, so it never ends up in git:
     * {@code $XDG_CONFIG_HOME/chipwatch/alerting-token}, else {@code ~/.config/chipwatch/alerting-token}
     * ({@link SecretFile}).
     */
    public static Path alertingTokenFile() {
        return SecretFile.defaultPath(SecretFile.ALERTING_TOKEN);
    }

    /** The collector's control API token ({@code /faults}), beside the alerting token; the collector writes it. */
    public static Path collectorTokenFile() {
        return SecretFile.defaultPath(SecretFile.COLLECTOR_TOKEN);
    }

    /**
     * The Kafka credentials file of {@code role} for the stack in {@code state} ({@code kafka-<role>.properties}
     * beside the tokens), or null when that stack's Kafka runs PLAINTEXT (started by an older version).
     */
    public static Path kafkaCredentials(StackState state, KafkaRole role) {
        return Boolean.TRUE.equals(state.kafkaSasl) ? KafkaCredentialFiles.inConfigDir().file(role) : null;
    }

    /** The Kafka client settings of the CLI's own principal (admin) for the stack in {@code state}. */
    public static Map<String, String> kafkaAdminSettings(StackState state) {
        return KafkaClientSecurity.settings(kafkaCredentials(state, KafkaRole.ADMIN));
    }

    /** Grafana's generated admin password (when {@code CHIPWATCH_GRAFANA_ADMIN_PASSWORD} is not set). */
    public static Path grafanaPasswordFile() {
        return SecretFile.defaultPath("grafana-admin-password");
    }
}
