package io.chipwatch.cli.stack;

import io.chipwatch.alerting.AlertingConfig;
import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.infra.AlertmanagerConfig;
import io.chipwatch.infra.LocalAlertmanager;
import io.chipwatch.infra.LocalKafka;
import io.chipwatch.infra.ManagedProcess;
import io.chipwatch.infra.kafka.KafkaAcls;
import io.chipwatch.infra.kafka.KafkaCredentialFiles;
import io.chipwatch.infra.kafka.KafkaRole;
import io.chipwatch.infra.kafka.LocalKafkaSecurity;
import io.chipwatch.jobs.aggregation.AggregationJobArguments;
import io.chipwatch.jobs.detection.DetectionJobArguments;
import io.chipwatch.model.kafka.KafkaClientSecurity;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.chipwatch.cli.stack.LocalStack.ALERTING;
import static io.chipwatch.cli.stack.LocalStack.ALERTMANAGER;
import static io.chipwatch.cli.stack.LocalStack.ANOMALIES_TOPIC;
import static io.chipwatch.cli.stack.LocalStack.COLLECTOR;
import static io.chipwatch.cli.stack.LocalStack.DATABASE;
import static io.chipwatch.cli.stack.LocalStack.DEAD_LETTER_TOPIC;
import static io.chipwatch.cli.stack.LocalStack.DETECTION;
import static io.chipwatch.cli.stack.LocalStack.FLINK;
import static io.chipwatch.cli.stack.LocalStack.INFLUXDB;
import static io.chipwatch.cli.stack.LocalStack.KAFKA;
import static io.chipwatch.cli.stack.LocalStack.SAMPLES_TOPIC;
import static io.chipwatch.cli.stack.LocalStack.TRUTH_TOPIC;

/**
 * The local stack's components in start order, each one {@link StackComponent}: InfluxDB, Kafka and Alertmanager
 * from {@code infra} (their start returns once they serve), then the project's own JVMs, each a detached
 * {@link JavaProcess} that is ready when its endpoint says so. Grafana ({@link StackGrafana}) comes last.
 *
 * <p>The program arguments of each JVM are built in one method per component ({@link #aggregationJobArguments},
 * {@link #detectionJobArguments}, {@link #alertingArguments}, {@link #collectorArguments}).
 */
final class StackComponents {
    static final int SAMPLE_PARTITIONS = 8;
    static final String AGGREGATION_GROUP = "chipwatch-aggregation";
    static final String DETECTION_GROUP = "chipwatch-detection";
    /** What the Kafka ACLs name: the topics above, the consumer groups and detection's transactions. */
    static final KafkaAcls.Names KAFKA_NAMES = new KafkaAcls.Names(SAMPLES_TOPIC, TRUTH_TOPIC, DEAD_LETTER_TOPIC,
            ANOMALIES_TOPIC, AlertingConfig.DEFAULT_STATE_TOPIC, AGGREGATION_GROUP, DETECTION_GROUP,
            AlertingConfig.DEFAULT_GROUP_ID, DETECTION_GROUP);

    /** Every component {@code up} runs, in start order; {@code down} stops them in reverse. */
    static final List<StackComponent> ALL = List.of(
            StackComponent.http(INFLUXDB, List.of(new Port("http", 8086), new Port("rpc", 8088)),
                    StackInflux::start, StackComponent.Readiness.STARTED, Launch::url),
            new StackComponent(KAFKA, List.of(new Port("broker", 9092), new Port("controller", 19093)), "",
                    StackComponents::startKafka, StackComponent.Readiness.STARTED, Launch::url, state -> false),
            StackComponent.http(ALERTMANAGER, List.of(new Port("http", 9093)),
                    StackComponents::startAlertmanager, StackComponent.Readiness.STARTED, Launch::url),
            StackComponent.http(FLINK, List.of(new Port("web", 8081)),
                    launch -> java(launch, "stream-jobs", flinkJvm(), "io.chipwatch.jobs.aggregation.AggregationJob",
                            aggregationJobArguments(launch)),
                    StackProbes.flinkJob(Duration.ofSeconds(120)), Launch::url),
            // In a JVM of its own beside the aggregation job: either may be restarted (or fall over) without the
            // other. Its checkpoints hold the detectors' baselines and open anomalies, so a restart resumes them
            // instead of re-learning every chip and re-opening what is already open.
            StackComponent.http(DETECTION, List.of(new Port("web", 8082)),
                    launch -> java(launch, "stream-jobs", flinkJvm(), "io.chipwatch.jobs.detection.DetectionJob",
                            detectionJobArguments(launch)),
                    StackProbes.flinkJob(Duration.ofSeconds(120)), Launch::url),
            StackComponent.http(ALERTING, List.of(new Port("http", 9095)),
                    // Its receiver is the local Alertmanager only: the --webhook URLs are Alertmanager's receivers.
                    launch -> java(launch, "alerting", List.of("-Xmx256m", "-XX:+UseSerialGC"),
                            "io.chipwatch.alerting.AlertingMain", alertingArguments(launch)),
                    StackProbes.http("/healthz", Duration.ofSeconds(60)),
                    launch -> launch.url() + "  (token in " + LocalStack.alertingTokenFile() + ")"),
            // Waiting for /healthz means `fault inject` works as soon as `up` returns.
            StackComponent.http(COLLECTOR, List.of(new Port("metrics", 9400)), StackComponents::startCollector,
                    StackProbes.http("/healthz", Duration.ofSeconds(60)),
                    launch -> launch.options().targets() != null ? "scraping the targets of " + launch.options().targets()
                            : launch.options().chips() + " chips, seed " + launch.options().seed()));

    /** Grafana, started after {@link #ALL} where this machine can run it. */
    static final StackComponent GRAFANA = StackGrafana.component();

    private StackComponents() {
    }

    /** The component with this name, Grafana included. */
    static StackComponent named(String name) {
        if (GRAFANA.name().equals(name)) {
            return GRAFANA;
        }
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stack component " + name));
    }

    /**
     * Kafka with SASL/SCRAM and ACLs: the credentials files are generated on the first start (one per role, in the
     * secrets folder) and the broker is given their users and ACLs at every start (a deleted file is a new
     * password). The other components get their file's path.
     */
    private static Optional<Started> startKafka(Launch launch) {
        LocalKafkaSecurity security = KafkaCredentialFiles.inConfigDir().createMissing().brokerSecurity(KAFKA_NAMES);
        LocalKafka kafka = startDetached(launch, LocalKafka.builder().controllerPort(launch.port("controller"))
                .security(security));
        launch.state().kafkaSasl = true;
        kafka.createTopic(SAMPLES_TOPIC, SAMPLE_PARTITIONS);
        kafka.createTopic(DEAD_LETTER_TOPIC, 1);
        kafka.createTopic(TRUTH_TOPIC, 1);
        kafka.createTopic(ANOMALIES_TOPIC, 4);
        return Optional.of(Started.pid(kafka.pid()));
    }

    private static Optional<Started> startAlertmanager(Launch launch) {
        return Optional.of(Started.pid(startDetached(launch, LocalAlertmanager.builder()
                .config(alertmanagerConfig(launch.options()))).pid()));
    }

    /**
     * The local Alertmanager's routing: to the {@code up --webhook} receivers when given (the alerting service then
     * pages through Alertmanager only, so Alertmanager's silences and the acknowledgements mirrored there decide
     * who is paged), else to a receiver that sends nowhere (its UI and API are the point). The Watchdog is never
     * paged.
     */
    static AlertmanagerConfig alertmanagerConfig(UpOptions options) {
        if (options.webhooks().isEmpty()) {
            return AlertmanagerConfig.nullReceiver();
        }
        // No group_wait here: the alerting service already waits each rule's own group_wait (0 s for the
        // root-caused availability and overheating alerts), so a second wait would only delay the page.
        return AlertmanagerConfig.webhooks(options.webhooks().stream().map(StackComponents::webhookUrl)
                .toArray(String[]::new)).timing(Duration.ZERO, Duration.ofSeconds(10), Duration.ofHours(4));
    }

    /** The URL of a {@code [NAME=]URL} webhook option (Alertmanager's receiver has no per-webhook name). */
    static String webhookUrl(String spec) {
        int eq = spec.indexOf('=');
        return eq > 0 && spec.substring(0, eq).matches("[A-Za-z0-9_.-]+") ? spec.substring(eq + 1) : spec;
    }

    /** Starts one of infra's servers on the chosen first port, with its data and log under {@code var/}. */
    private static <B extends ManagedProcess.Builder<B, P>, P extends ManagedProcess<P>> P startDetached(
            Launch launch, B builder) {
        return builder.dataDir(launch.data())
                .port(launch.port(launch.component().ports().get(0).name()))
                .logFile(launch.log())
                .detached(true)
                .build()
                .start();
    }

    private static Optional<Started> startCollector(Launch launch) throws IOException {
        Optional<Started> started = java(launch, "collector", List.of("-Xmx1g", "-XX:+UseG1GC"),
                "io.chipwatch.collector.CollectorMain", collectorArguments(launch));
        launch.state().chips = launch.options().chips();
        launch.state().seed = launch.options().seed();
        return started;
    }

    private static Optional<Started> java(Launch launch, String module, List<String> jvm, String mainClass,
                                          List<String> args) throws IOException {
        return Optional.of(Started.process(new JavaProcess(launch.layout())
                .start(launch.component().name(), module, jvm, mainClass, args)));
    }

    /** Program arguments of the Flink aggregation job. */
    static List<String> aggregationJobArguments(Launch launch) {
        return aggregationJob(launch, launch.data().resolve("checkpoints"), launch.port("web")).arguments();
    }

    /**
     * The aggregation job's arguments; {@code webPort} 0: none, as for a job submitted to a Flink cluster
     * ({@link ClusterJobs}): with one it starts its own local cluster.
     */
    static AggregationJobArguments aggregationJob(Launch launch, Path checkpoints, int webPort) {
        AggregationJobArguments args = new AggregationJobArguments()
                .bootstrapServers(launch.url(KAFKA)).topic(SAMPLES_TOPIC)
                .influxUrl(launch.url(INFLUXDB)).influxDatabase(DATABASE)
                .influxCredentialsFile(StackInflux.writerFile());
        if (webPort > 0) {
            args.webPort(webPort);
        }
        return args.chips(launch.options().jobChips())
                .checkpointDir(checkpoints)
                .restoreLatest(true)
                .groupId(AGGREGATION_GROUP)
                .kafkaCredentials(LocalStack.kafkaCredentials(launch.state(), KafkaRole.AGGREGATION));
    }

    /** Program arguments of the Flink detection job. */
    static List<String> detectionJobArguments(Launch launch) {
        return detectionJob(launch, launch.data().resolve("checkpoints"), launch.port("web")).arguments();
    }

    /** The detection job's arguments; {@code webPort} 0: none (see {@link #aggregationJob}). */
    static DetectionJobArguments detectionJob(Launch launch, Path checkpoints, int webPort) {
        DetectionJobArguments args = new DetectionJobArguments()
                .bootstrapServers(launch.url(KAFKA)).topic(SAMPLES_TOPIC).anomaliesTopic(ANOMALIES_TOPIC)
                .influxUrl(launch.url(INFLUXDB)).influxDatabase(DATABASE)
                .influxCredentialsFile(StackInflux.writerFile());
        if (webPort > 0) {
            args.webPort(webPort);
        }
        return args.chips(launch.options().jobChips())
                .checkpointDir(checkpoints)
                .restoreLatest(true)
                .groupId(DETECTION_GROUP)
                .kafkaCredentials(LocalStack.kafkaCredentials(launch.state(), KafkaRole.DETECTION));
    }

    /** Program arguments of the alerting service. */
    static List<String> alertingArguments(Launch launch) {
        List<String> args = new ArrayList<>(List.of("--bootstrap", launch.url(KAFKA),
                "--anomalies-topic", ANOMALIES_TOPIC,
                "--influx-url", launch.url(INFLUXDB),
                "--influx-db", DATABASE,
                "--influx-credentials-file", StackInflux.writerFile().toString(),
                "--alertmanager-url", launch.url(ALERTMANAGER),
                "--port", String.valueOf(launch.port("http")),
                "--token-file", LocalStack.alertingTokenFile().toString()));
        kafkaCredentials(args, launch, KafkaRole.ALERTING);
        // The path watch names a job whose checkpoints fail (each job's MiniCluster REST API).
        for (String job : List.of(FLINK, DETECTION)) {
            if (launch.url(job) != null) {
                args.addAll(List.of("--watch-job", job + "=" + launch.url(job)));
            }
        }
        // No --webhook: the webhooks are the local Alertmanager's receivers (alertmanagerConfig), one path per page.
        return args;
    }

    /** Program arguments of the collector. */
    static List<String> collectorArguments(Launch launch) {
        List<String> args = new ArrayList<>(List.of("--bootstrap", launch.url(KAFKA),
                "--topic", SAMPLES_TOPIC,
                "--truth-topic", TRUTH_TOPIC,
                "--chips", String.valueOf(launch.options().chips()),
                "--seed", String.valueOf(launch.options().seed()),
                "--metrics-port", String.valueOf(launch.port("metrics")),
                "--token-file", LocalStack.collectorTokenFile().toString(),
                // Its own meters, for the pipeline dashboard.
                "--influx-url", launch.url(INFLUXDB),
                "--influx-db", DATABASE,
                "--influx-credentials-file", StackInflux.writerFile().toString()));
        kafkaCredentials(args, launch, KafkaRole.COLLECTOR);
        if (launch.options().targets() != null) {
            args.addAll(List.of("--source", "prometheus", "--targets", launch.options().targets().toAbsolutePath()
                    .toString(), "--anomalies-topic", ANOMALIES_TOPIC));
        } else {
            // A restarted simulator goes on from where the dies were, as real dies do (docs/SELF-MONITORING.md).
            args.addAll(List.of("--state-file", launch.data().resolve("thermal.state").toAbsolutePath().toString()));
        }
        if (launch.options().scenario() != null) {
            args.add("--scenario");
            args.add(launch.options().scenario().toAbsolutePath().toString());
        }
        return args;
    }

    /** Adds the role's Kafka credentials file (its path) when the stack's Kafka authenticates. */
    private static void kafkaCredentials(List<String> args, Launch launch, KafkaRole role) {
        Path file = LocalStack.kafkaCredentials(launch.state(), role);
        if (file != null) {
            args.add(KafkaClientSecurity.OPTION);
            args.add(file.toString());
        }
    }

    /**
     * The Flink jobs' JVM options: heap, collector and the {@code --add-opens} Flink needs. Their heap state (10,000
     * chips' detector baselines, windows, tick buffers) is several hundred MB: in a 1 GB heap G1 shrank the young
     * generation to a sliver and collected several times a second, about a third of each job's CPU
     * (docs/PERFORMANCE.md). 4 MB regions keep Kafka's fetch buffers (up to 1 MB) from being humongous objects, each
     * of which started a concurrent cycle.
     */
    private static List<String> flinkJvm() {
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g", "-XX:+UseG1GC", "-XX:G1HeapRegionSize=4m",
                FlinkJvm.rpcTimerTick()));
        jvm.addAll(FlinkJvm.opens());
        return jvm;
    }
}
