package io.chipwatch.cli.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.chipwatch.cli.stack.LocalStack.ALERTING;
import static io.chipwatch.cli.stack.LocalStack.ALERTMANAGER;
import static io.chipwatch.cli.stack.LocalStack.COLLECTOR;
import static io.chipwatch.cli.stack.LocalStack.DETECTION;
import static io.chipwatch.cli.stack.LocalStack.FLINK;
import static io.chipwatch.cli.stack.LocalStack.INFLUXDB;

/**
 * The components of {@code up --cluster}, in start order: InfluxDB, Kafka brokers {@code kafka-1..N}
 * ({@link KafkaClusterMembers}), Alertmanager, the Flink session cluster's {@code jobmanager} and
 * {@code taskmanager-1..N} ({@link FlinkSessionMembers}), the two jobs submitted to it ({@link ClusterJobs}, still
 * named {@code flink} and {@code detection}), then alerting and the collector as in the default stack
 * ({@link StackComponents#ALL}).
 */
public final class ClusterComponents {
    /** The Flink session cluster's JobManager. */
    public static final String JOBMANAGER = "jobmanager";

    private ClusterComponents() {
    }

    /** Kafka broker {@code i} (from 1). */
    public static String kafka(int i) {
        return LocalStack.KAFKA + "-" + i;
    }

    /** TaskManager {@code i} (from 1); also its Flink resource id. */
    public static String taskManager(int i) {
        return "taskmanager-" + i;
    }

    static List<String> kafkaNames(ClusterSize size) {
        return IntStream.rangeClosed(1, size.brokers()).mapToObj(ClusterComponents::kafka).toList();
    }

    static List<String> taskManagerNames(ClusterSize size) {
        return IntStream.rangeClosed(1, size.taskmanagers()).mapToObj(ClusterComponents::taskManager).toList();
    }

    /** Every component of a stack of this size, in start order. */
    static List<StackComponent> all(ClusterSize size) {
        List<StackComponent> all = new ArrayList<>();
        all.add(StackComponents.named(INFLUXDB));
        for (int i = 1; i <= size.brokers(); i++) {
            all.add(KafkaClusterMembers.component(size, i));
        }
        all.add(StackComponents.named(ALERTMANAGER));
        all.add(FlinkSessionMembers.jobManager(size));
        for (int i = 1; i <= size.taskmanagers(); i++) {
            all.add(FlinkSessionMembers.taskManager(size, i));
        }
        all.add(ClusterJobs.aggregation(size));
        all.add(ClusterJobs.detection(size));
        all.add(StackComponents.named(ALERTING));
        all.add(StackComponents.named(COLLECTOR));
        return all;
    }

    /** The names of {@link #all}, in start order. */
    public static List<String> names(ClusterSize size) {
        return all(size).stream().map(StackComponent::name).toList();
    }

    /**
     * The processes of a stack of this size, in start order: {@link #names} less the jobs, whose recorded pid is the
     * JobManager's ({@code down} stops processes).
     */
    static List<String> processes(ClusterSize size) {
        return names(size).stream().filter(n -> !n.equals(FLINK) && !n.equals(DETECTION)).toList();
    }

    /**
     * Where a component of a {@code --cluster} stack is reached: Kafka is every broker's address, the jobs are the
     * JobManager's.
     */
    static String url(StackState state, String component) {
        if (LocalStack.KAFKA.equals(component)) {
            return kafkaBootstrap(state);
        }
        return all(state.cluster).stream().filter(c -> c.name().equals(component)).findFirst()
                .orElseGet(() -> StackComponents.named(component)).url(state);
    }

    /** "127.0.0.1:P1,127.0.0.1:P2,...": the brokers' client addresses in the state, or null before any started. */
    static String kafkaBootstrap(StackState state) {
        List<String> addresses = new ArrayList<>();
        for (String broker : kafkaNames(state.cluster)) {
            Integer port = state.port(broker, KafkaClusterMembers.BROKER_PORT);
            if (port != null) {
                addresses.add("127.0.0.1:" + port);
            }
        }
        return addresses.isEmpty() ? null : String.join(",", addresses);
    }
}
