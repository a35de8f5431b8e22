package io.chipwatch.cli.verbs;

import io.chipwatch.cli.stack.ClusterSize;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.cli.stack.UpOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code up}: starts the local stack (idempotent) and says where to look. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the local stack: InfluxDB, Kafka, Alertmanager, the Flink aggregation and detection jobs, "
                + "the alerting service and the collector.")
public final class UpCommand extends StackCommand {

    @Option(names = "--chips", defaultValue = "10000", description = "Simulated chips (default ${DEFAULT-VALUE}).")
    int chips;

    @Option(names = "--seed", defaultValue = "1", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario YAML the collector plays (see scenarios/README.md).")
    Path scenario;

    @Option(names = "--webhook", paramLabel = "[NAME=]URL",
            description = "Webhook the local Alertmanager pages (its webhook JSON; the alerting service hands every "
                    + "alert to Alertmanager, whose silences and mirrored acknowledgements apply). Repeatable. Takes "
                    + "effect when Alertmanager starts. Without it Alertmanager pages nobody.")
    List<String> webhooks;

    @Option(names = "--source", defaultValue = "sim", paramLabel = "sim|prometheus",
            description = "Where the collector's samples come from: the simulator, or the dcgm-exporter targets of "
                    + "--targets (see docs/SOURCES.md) (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--targets", paramLabel = "FILE",
            description = "With --source prometheus: the Prometheus file_sd file listing the targets to scrape.")
    Path targets;

    @Option(names = "--cluster",
            description = "Run Kafka as a cluster of brokers (replication factor 3, min.insync.replicas 2) and the jobs "
                    + "on a Flink session cluster (one JobManager, several TaskManagers), each member its own process "
                    + "(see docs/CLUSTER.md).")
    boolean cluster;

    @Option(names = "--brokers", paramLabel = "N",
            description = "With --cluster: Kafka brokers, 3 to 9 (default " + ClusterSize.DEFAULT_BROKERS + ").")
    Integer brokers;

    @Option(names = "--taskmanagers", paramLabel = "N",
            description = "With --cluster: Flink TaskManagers, 1 to 8 (default " + ClusterSize.DEFAULT_TASKMANAGERS
                    + ").")
    Integer taskmanagers;

    @Override
    String invalidOptions() {
        if (!cluster && (brokers != null || taskmanagers != null)) {
            return (brokers != null ? "--brokers" : "--taskmanagers") + " needs --cluster";
        }
        if (cluster) {
            String problem = ClusterSize.problem(brokers(), taskmanagers());
            if (problem != null) {
                return problem;
            }
        }
        if (!source.equals("sim") && !source.equals("prometheus")) {
            return "--source must be sim or prometheus (nvidia-smi: run the collector itself, see docs/SOURCES.md), got "
                    + source;
        }
        if (source.equals("prometheus") && (targets == null || !Files.isReadable(targets))) {
            return "--source prometheus needs --targets FILE, a readable Prometheus file_sd file"
                    + (targets == null ? "" : ": cannot read " + targets);
        }
        if (scenario != null && !Files.isReadable(scenario)) {
            return "--scenario: cannot read " + scenario;
        }
        if (chips < 8 || chips % 8 != 0) {
            return "--chips must be a positive multiple of 8 (whole 8-chip nodes), got " + chips;
        }
        return null;
    }

    private int brokers() {
        return brokers == null ? ClusterSize.DEFAULT_BROKERS : brokers;
    }

    private int taskmanagers() {
        return taskmanagers == null ? ClusterSize.DEFAULT_TASKMANAGERS : taskmanagers;
    }

    @Override
    int run(LocalStack stack) throws Exception {
        long t0 = System.nanoTime();
        System.out.println("Starting the Chipwatch stack in " + stack.layout().var());
        UpOptions options = new UpOptions(chips, seed, scenario, webhooks,
                source.equals("prometheus") ? targets : null,
                cluster ? new ClusterSize(brokers(), taskmanagers()) : null);
        StackState state = stack.up(options);
        long supervisor = stack.supervise(options);
        System.out.printf("Stack up in %.1f s; supervisor pid %d restarts what dies (log %s).%n%n",
                (System.nanoTime() - t0) / 1e9, supervisor, stack.layout().log("supervisor"));
        System.out.println("Where to look:");
        System.out.println("  Flink web UI    " + LocalStack.url(state, LocalStack.FLINK) + "  (aggregation)  "
                + LocalStack.url(state, LocalStack.DETECTION) + "  (detection)");
        System.out.println("  InfluxDB        " + LocalStack.url(state, LocalStack.INFLUXDB) + "  (database " + LocalStack.DATABASE
                + "; try ./telemetry query 'SELECT * FROM chip ORDER BY time DESC LIMIT 5')");
        System.out.println("  Alerting        " + LocalStack.url(state, LocalStack.ALERTING) + "  (on-call page and API; bearer token in "
                + LocalStack.alertingTokenFile() + ")");
        System.out.println("  Alertmanager    " + LocalStack.url(state, LocalStack.ALERTMANAGER));
        System.out.println("  Kafka           " + LocalStack.url(state, LocalStack.KAFKA) + "  (topic "
                + LocalStack.SAMPLES_TOPIC + ")");
        System.out.println("  Collector       " + LocalStack.url(state, LocalStack.COLLECTOR) + "/metrics  (dcgm-exporter names; "
                + "faults: ./telemetry fault inject TYPE --target ENTITY)");
        System.out.println("  Logs            " + stack.layout().logs());
        String grafana = stack.grafanaUrlIfUp(state);
        System.out.println("  Grafana         " + (grafana != null ? grafana + "/d/chipwatch-overview"
                : "not running: no Grafana binary or Docker engine on this machine"));
        System.out.println("  Health          ./telemetry status   (chips show up in InfluxDB ~15 s after start)");
        System.out.println("  Stop            ./telemetry down [--purge]");
        return 0;
    }
}
