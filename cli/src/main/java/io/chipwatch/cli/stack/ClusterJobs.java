package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Started;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.chipwatch.cli.stack.LocalStack.DETECTION;
import static io.chipwatch.cli.stack.LocalStack.FLINK;

/**
 * The aggregation and detection jobs of {@code up --cluster}: stream-jobs' jar submitted to the session cluster
 * through its REST API (upload, run: {@link FlinkRest}), with the program arguments the per-job JVMs get less
 * {@code --web-port} (which would start a local cluster) and with {@code --parallelism}
 * ({@link ClusterSize#parallelism()}; docker-compose's {@code flink-submit} passes it too), checkpoints in
 * {@code var/flink-cluster/checkpoints/JOB}, where every member of the cluster reaches them. They keep the default
 * stack's names ({@code flink}, {@code detection}); their address is the JobManager's and their pid the
 * JobManager's (a job lives as long as its JobManager: when the supervisor restarts a dead JobManager, it submits the
 * jobs again, and they resume from their latest checkpoint, {@code --restore-latest}).
 *
 * <p>The launcher does the whole start (submit, wait for RUNNING, record pid and address) and returns empty, so that
 * {@link LocalStack} records no port of its own choosing for them.
 */
final class ClusterJobs {
    static final String AGGREGATION_CLASS = "io.chipwatch.jobs.aggregation.AggregationJob";
    static final String DETECTION_CLASS = "io.chipwatch.jobs.detection.DetectionJob";
    static final String AGGREGATION_NAME = "chipwatch-aggregation";
    static final String DETECTION_NAME = "chipwatch-detection";
    /** The name of stream-jobs' jar in its {@code target/} folder. */
    static final String JAR_PATTERN = "stream-jobs-[^-]+(-SNAPSHOT)?\\.jar";
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(180);

    private ClusterJobs() {
    }

    static StackComponent aggregation(ClusterSize size) {
        return job(FLINK, AGGREGATION_NAME, AGGREGATION_CLASS,
                launch -> StackComponents.aggregationJob(launch, checkpoints(launch.layout(), "aggregation"), 0)
                        .parallelism(size.parallelism()).arguments());
    }

    static StackComponent detection(ClusterSize size) {
        return job(DETECTION, DETECTION_NAME, DETECTION_CLASS,
                launch -> StackComponents.detectionJob(launch, checkpoints(launch.layout(), "detection"), 0)
                        .parallelism(size.parallelism()).arguments());
    }

    /** The checkpoint folder of one job, shared by the cluster's members. */
    static Path checkpoints(StackLayout layout, String job) {
        return layout.var().resolve("flink-cluster").resolve("checkpoints").resolve(job);
    }

    private static StackComponent job(String component, String jobName, String entryClass,
                                      Function<Launch, List<String>> arguments) {
        return new StackComponent(component, List.of(new Port("web", 8081)), "http://",
                launch -> submit(launch, jobName, entryClass, arguments.apply(launch)),
                StackComponent.Readiness.STARTED, Launch::url, state -> false);
    }

    private static Optional<Started> submit(Launch launch, String jobName, String entryClass, List<String> args)
            throws Exception {
        long t0 = System.nanoTime();
        StackState state = launch.state();
        String rest = launch.url(ClusterComponents.JOBMANAGER);
        Long jmPid = state.pids.get(ClusterComponents.JOBMANAGER);
        if (rest == null || jmPid == null) {
            throw new IllegalStateException(launch.component().name() + " needs the JobManager, which did not start");
        }
        String name = launch.component().name();
        if (FlinkRest.activeJobState(rest, jobName).isEmpty()) {
            String jarId = FlinkRest.upload(rest, jobJar(launch.layout()));
            String jobId;
            try {
                jobId = FlinkRest.run(rest, jarId, entryClass, args);
            } finally {
                FlinkRest.delete(rest, jarId);
            }
            awaitRunning(rest, jobId, name, launch.layout().log(ClusterComponents.JOBMANAGER));
            launch.out().printf("  %-10s submitted and RUNNING in %.1f s  %s  (job %s)%n", name,
                    (System.nanoTime() - t0) / 1e9, rest, jobId);
        }
        state.pids.put(name, jmPid);
        state.port(name, "web", state.port(ClusterComponents.JOBMANAGER, FlinkSessionMembers.REST_PORT));
        state.save(launch.layout().stateFile());
        return Optional.empty();
    }

    private static void awaitRunning(String rest, String jobId, String component, Path jmLog)
            throws InterruptedException {
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = FlinkRest.jobState(rest, jobId).orElse("");
            if (state.equals("RUNNING")) {
                return;
            }
            if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
                break;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Flink job (" + component + ", " + jobId + ") is " + state
                + " instead of RUNNING; see " + jmLog);
    }

    /** stream-jobs' jar, as its build leaves it (the same file docker-compose's flink-submit uploads). */
    static Path jobJar(StackLayout layout) throws IOException {
        Path target = layout.root().resolve("stream-jobs").resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(JAR_PATTERN))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no stream-jobs jar in " + target
                            + ": build the project first (./telemetry builds it)"));
        }
    }
}
