package io.chipwatch.cli.stack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@code status} says of the members of a {@code --cluster} stack: each broker {@code up} while its process
 * lives and it answers a cluster description on its own address, the JobManager while its REST API answers, each
 * TaskManager while the JobManager lists it, and each job while the JobManager lists it RUNNING by name.
 */
public final class ClusterStatus {
    private ClusterStatus() {
    }

    /** The brokers' states, {@code kafka-1..N}; {@code answers} says whether a bootstrap address answers. */
    public static Map<String, Boolean> brokers(LocalStack stack, StackState state, Predicate<String> answers) {
        Map<String, Boolean> up = new LinkedHashMap<>();
        for (String broker : ClusterComponents.kafkaNames(state.cluster)) {
            Integer port = state.port(broker, KafkaClusterMembers.BROKER_PORT);
            up.put(broker, stack.alive(state, broker) && port != null && answers.test("127.0.0.1:" + port));
        }
        return up;
    }

    /** The JobManager's, the TaskManagers' and the two jobs' states, in that order. */
    public static Map<String, Boolean> flink(LocalStack stack, StackState state) {
        Map<String, Boolean> up = new LinkedHashMap<>();
        String jm = LocalStack.url(state, ClusterComponents.JOBMANAGER);
        boolean jmUp = stack.alive(state, ClusterComponents.JOBMANAGER) && jm != null
                && StackProbes.answers(jm + "/overview", Duration.ofSeconds(3));
        up.put(ClusterComponents.JOBMANAGER, jmUp);
        for (String tm : ClusterComponents.taskManagerNames(state.cluster)) {
            up.put(tm, jmUp && stack.alive(state, tm) && FlinkRest.taskManagerRegistered(jm, tm));
        }
        up.put(LocalStack.FLINK, jmUp && FlinkRest.jobRunning(jm, ClusterJobs.AGGREGATION_NAME));
        up.put(LocalStack.DETECTION, jmUp && FlinkRest.jobRunning(jm, ClusterJobs.DETECTION_NAME));
        return up;
    }
}
