package io.chipwatch.cli.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code config.yaml} of one member of the stack's Flink session cluster (JobManager or TaskManager): everything
 * on loopback, small heaps, fast failure detection, a fixed-delay restart, and the jobs' self-metrics reporter.
 * Pure rendering, unit-tested without starting anything.
 *
 * @param size     the cluster's size (slots, parallelism)
 * @param jmRpc    the JobManager's RPC port (every member needs it)
 * @param restPort the JobManager's REST port
 * @param tmp      the member's temporary folder ({@code io.tmp.dirs}, {@code web.tmpdir})
 * @param reporter the metric reporter's settings ({@code metrics.reporter.*}), as strings
 */
record FlinkSessionConfig(ClusterSize size, int jmRpc, int restPort, Path tmp, Map<String, String> reporter) {
    private static final String LOOPBACK = "127.0.0.1";

    FlinkSessionConfig {
        reporter = Map.copyOf(reporter);
    }

    /** The JobManager's settings. */
    Map<String, String> jobManager() {
        Map<String, String> p = common();
        p.put("jobmanager.memory.heap.size", "384m");
        p.put("jobmanager.memory.off-heap.size", "64m");
        p.put("jobmanager.memory.jvm-metaspace.size", "192m");
        p.put("jobmanager.memory.jvm-overhead.min", "64m");
        p.put("jobmanager.memory.jvm-overhead.max", "128m");
        return p;
    }

    /**
     * TaskManager {@code i}'s settings: its resource id is its component name, its task heap {@code taskHeapMb}.
     */
    Map<String, String> taskManager(int i, int rpcPort, int taskHeapMb) {
        Map<String, String> p = common();
        p.put("taskmanager.resource-id", ClusterComponents.taskManager(i));
        p.put("taskmanager.rpc.port", String.valueOf(rpcPort));
        p.put("taskmanager.numberOfTaskSlots", String.valueOf(size.slotsPerTaskManager()));
        p.put("taskmanager.memory.framework.heap.size", "64m");
        p.put("taskmanager.memory.task.heap.size", taskHeapMb + "m");
        // Heap state backend: no managed memory needed.
        p.put("taskmanager.memory.managed.size", "0m");
        p.put("taskmanager.memory.network.min", "32m");
        p.put("taskmanager.memory.network.max", "64m");
        p.put("taskmanager.memory.jvm-metaspace.size", "192m");
        p.put("taskmanager.memory.jvm-overhead.min", "64m");
        p.put("taskmanager.memory.jvm-overhead.max", "128m");
        return p;
    }

    private Map<String, String> common() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("jobmanager.rpc.address", LOOPBACK);
        p.put("jobmanager.rpc.port", String.valueOf(jmRpc));
        p.put("jobmanager.bind-host", LOOPBACK);
        p.put("taskmanager.bind-host", LOOPBACK);
        p.put("taskmanager.host", LOOPBACK);
        p.put("rest.address", LOOPBACK);
        p.put("rest.bind-address", LOOPBACK);
        p.put("rest.port", String.valueOf(restPort));
        // The CLI submits the jobs through REST (jar upload and run): loopback only, as every port of the stack.
        p.put("web.submit.enable", "true");
        p.put("web.cancel.enable", "false");
        p.put("web.tmpdir", tmp.toString());
        p.put("io.tmp.dirs", tmp.toString());
        p.put("parallelism.default", String.valueOf(size.parallelism()));
        // Each slot request goes to the least used TaskManager, so the two jobs run on different ones (a TaskManager
        // lost takes one job down, and memory is spread). Flink 2.x's name for it: the 1.x option
        // cluster.evenly-spread-out-slots is gone and was ignored here (both jobs ran on taskmanager-1).
        p.put("taskmanager.load-balance.mode", "slots");
        // A killed TaskManager is found within seconds (its heartbeat RPCs fail: heartbeat.rpc-failure-threshold);
        // one that stops answering, within 15 s instead of the default 50 s (a starved CPU must not look dead).
        p.put("heartbeat.interval", "1000");
        p.put("heartbeat.timeout", "15000");
        p.put("restart-strategy.type", "fixed-delay");
        p.put("restart-strategy.fixed-delay.attempts", "2147483647");
        p.put("restart-strategy.fixed-delay.delay", "2 s");
        // A job's main() runs inside the JobManager when submitted through REST: a System.exit there (a usage
        // error) must fail the submission, not end the JobManager.
        p.put("cluster.intercept-user-system-exit", "THROW");
        p.putAll(reporter);
        return p;
    }

    /** A settings map as {@code config.yaml}: one flat key per line, every value a single-quoted YAML string. */
    static String render(Map<String, String> settings) {
        StringBuilder sb = new StringBuilder("# Written by Chipwatch (up --cluster) at every start.\n");
        settings.forEach((k, v) -> sb.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        return sb.toString();
    }
}
