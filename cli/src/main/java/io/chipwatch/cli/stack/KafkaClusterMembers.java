package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.infra.KafkaAdmin;
import io.chipwatch.infra.LocalKafka;
import io.chipwatch.infra.kafka.KafkaCredentialFiles;
import io.chipwatch.infra.kafka.LocalKafkaSecurity;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.chipwatch.cli.stack.LocalStack.ANOMALIES_TOPIC;
import static io.chipwatch.cli.stack.LocalStack.DEAD_LETTER_TOPIC;
import static io.chipwatch.cli.stack.LocalStack.SAMPLES_TOPIC;
import static io.chipwatch.cli.stack.LocalStack.TRUTH_TOPIC;

/**
 * The Kafka brokers of {@code up --cluster}: {@code kafka-1..N}, each a KRaft node with the broker and controller
 * roles (infra's {@link LocalKafka} as a {@link LocalKafka.Builder#clusterMember cluster member}), SASL/SCRAM and ACLs
 * as the single broker has, every topic replicated 3 times with {@code min.insync.replicas} 2.
 *
 * <p>No member answers before a majority of the controllers runs, so starting one member starts, in parallel, every
 * member that does not run (on the ports they had): the first {@code up} starts them all from {@code kafka-1}, a
 * supervisor's restart of one dead broker starts that one alone. The voters' ports are fixed in every member's
 * configuration: a member must come back on its ports.
 */
final class KafkaClusterMembers {
    static final String BROKER_PORT = "broker";
    static final String CONTROLLER_PORT = "controller";
    private static final int USUAL_BROKER_PORT = 29090;
    private static final int USUAL_CONTROLLER_PORT = 29190;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private KafkaClusterMembers() {
    }

    static StackComponent component(ClusterSize size, int i) {
        return new StackComponent(ClusterComponents.kafka(i),
                List.of(new Port(BROKER_PORT, USUAL_BROKER_PORT + i), new Port(CONTROLLER_PORT, USUAL_CONTROLLER_PORT + i)),
                "", launch -> start(launch, size, i), StackComponent.Readiness.STARTED, Launch::url, state -> false);
    }

    /**
     * The settings every member shares: replication, ISR, and fencing a lost broker within 3 s (the controller then
     * takes it out of every ISR, so {@code acks=all} producers stall a few seconds, not the 30 s of the lag timeout).
     */
    static Map<String, String> clusterSettings() {
        Map<String, String> p = new LinkedHashMap<>();
        String rf = String.valueOf(ClusterSize.REPLICATION_FACTOR);
        String minIsr = String.valueOf(ClusterSize.MIN_INSYNC_REPLICAS);
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", rf);
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("unclean.leader.election.enable", "false");
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("replica.lag.time.max.ms", "10000");
        // Elections that survive a starved CPU: the 1 s default made a loaded machine's controllers re-elect for
        // minutes before the first leader held.
        p.put("controller.quorum.election.timeout.ms", "3000");
        p.put("controller.quorum.fetch.timeout.ms", "6000");
        return p;
    }

    /** {@code 1@127.0.0.1:C1,2@127.0.0.1:C2,...}: the KRaft voters, by node id. */
    static String voters(List<Integer> controllerPorts) {
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < controllerPorts.size(); i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        return String.join(",", voters);
    }

    private static Optional<Started> start(Launch launch, ClusterSize size, int self) throws Exception {
        StackState state = launch.state();
        StackProcesses processes = new StackProcesses(launch.layout());
        List<Integer> brokerPorts = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 1; i <= size.brokers(); i++) {
            String name = ClusterComponents.kafka(i);
            brokerPorts.add(i == self ? launch.port(BROKER_PORT) : memberPort(state, name, BROKER_PORT,
                    USUAL_BROKER_PORT + i));
            controllerPorts.add(i == self ? launch.port(CONTROLLER_PORT) : memberPort(state, name, CONTROLLER_PORT,
                    USUAL_CONTROLLER_PORT + i));
        }
        String voters = voters(controllerPorts);
        // The voters' ports are in every member's configuration from now on: a member started later uses them.
        for (int i = 1; i <= size.brokers(); i++) {
            state.port(ClusterComponents.kafka(i), BROKER_PORT, brokerPorts.get(i - 1));
            state.port(ClusterComponents.kafka(i), CONTROLLER_PORT, controllerPorts.get(i - 1));
        }
        String clusterId = clusterId(launch.layout(), size);
        LocalKafkaSecurity security = KafkaCredentialFiles.inConfigDir().createMissing()
                .brokerSecurity(StackComponents.KAFKA_NAMES);
        Map<Integer, Future<LocalKafka>> starting = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(size.brokers());
        try {
            for (int i = 1; i <= size.brokers(); i++) {
                String name = ClusterComponents.kafka(i);
                if (i != self && processes.alive(state.pids.get(name))) {
                    continue;
                }
                LocalKafka.Builder broker = LocalKafka.builder()
                        .dataDir(launch.layout().data(name))
                        .port(brokerPorts.get(i - 1)).controllerPort(controllerPorts.get(i - 1))
                        .logFile(launch.layout().log(name))
                        .detached(true)
                        .maxHeap("384m")
                        // The members wait for each other's quorum: more than a single broker's 60 s.
                        .startTimeout(START_TIMEOUT)
                        .security(security)
                        .clusterMember(i, voters, clusterId);
                clusterSettings().forEach(broker::brokerProperty);
                starting.put(i, pool.submit(() -> broker.build().start()));
            }
            // Every member that came up is recorded, also when another did not: a second up (or the supervisor)
            // then starts only the missing ones, with the voters' ports as they are.
            long selfPid = 0;
            IllegalStateException failed = null;
            for (Map.Entry<Integer, Future<LocalKafka>> e : starting.entrySet()) {
                String name = ClusterComponents.kafka(e.getKey());
                LocalKafka kafka;
                try {
                    kafka = get(e.getValue(), name);
                } catch (IllegalStateException notStarted) {
                    failed = failed == null ? notStarted : failed;
                    continue;
                }
                state.pids.put(name, kafka.pid());
                if (e.getKey() == self) {
                    selfPid = kafka.pid();
                } else {
                    launch.out().printf("  %-10s started with %s  %s%n", name, launch.component().name(),
                            kafka.bootstrapServers());
                }
            }
            state.kafkaSasl = true;
            state.save(launch.layout().stateFile());
            if (failed != null) {
                throw failed;
            }
            Map<String, Integer> topics = new LinkedHashMap<>();
            topics.put(SAMPLES_TOPIC, StackComponents.SAMPLE_PARTITIONS);
            topics.put(DEAD_LETTER_TOPIC, 1);
            topics.put(TRUTH_TOPIC, 1);
            topics.put(ANOMALIES_TOPIC, 4);
            String bootstrap = String.join(",", brokerPorts.stream().map(p -> "127.0.0.1:" + p).toList());
            KafkaAdmin.createTopics(bootstrap, security.brokerClientSettings(), topics, ClusterSize.REPLICATION_FACTOR);
            return Optional.of(Started.pid(selfPid));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Another member's port: the one it has (a running member holds it; a dead one gets it back), else one chosen
     * as for any component.
     */
    private static int memberPort(StackState state, String member, String port, int usual) {
        Integer had = state.port(member, port);
        return had != null ? had : Ports.preferred(null, usual);
    }

    private static LocalKafka get(Future<LocalKafka> future, String name) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " did not start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * The cluster id every member is formatted with: the one a member already formatted has (a member whose data was
     * lost rejoins its cluster), else a new one.
     */
    static String clusterId(StackLayout layout, ClusterSize size) throws IOException {
        for (String name : ClusterComponents.kafkaNames(size)) {
            Path meta = layout.data(name).resolve("data").resolve("meta.properties");
            if (Files.exists(meta)) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(meta)) {
                    p.load(in);
                }
                String id = p.getProperty("cluster.id");
                if (id != null && !id.isBlank()) {
                    return id;
                }
            }
        }
        return Uuid.randomUuid().toString();
    }
}
