package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Readiness;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.infra.LocalProcess;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.chipwatch.cli.stack.LocalStack.DATABASE;
import static io.chipwatch.cli.stack.LocalStack.INFLUXDB;

/**
 * The Flink session cluster of {@code up --cluster}, started from stream-jobs' Maven classpath (no flink-dist), as
 * docker-compose's {@code flink.sh} does: one JobManager ({@code StandaloneSessionClusterEntrypoint}) and
 * {@code taskmanager-1..N} ({@code TaskManagerRunner}), each its own JVM with its {@code config.yaml} under
 * {@code var/NAME/conf} ({@link FlinkSessionConfig}) and the memory flags Flink's {@code BashJavaUtils} derives from
 * it, as Flink's launch scripts do. The JobManager's REST API (loopback) is where the jobs are submitted
 * ({@link ClusterJobs}).
 */
final class FlinkSessionMembers {
    static final String REST_PORT = "rest";
    static final String RPC_PORT = "rpc";
    private static final String MODULE = "stream-jobs";
    private static final String JM_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TM_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String MEMORY_TOOL = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String MEMORY_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /** Task heap per simulated chip over all TaskManagers (both jobs' windows, baselines, buffers). */
    private static final int TASK_HEAP_KB_PER_CHIP = 256;
    private static final int MIN_TASK_HEAP_MB = 320;
    private static final int MAX_TASK_HEAP_MB = 4096;

    private FlinkSessionMembers() {
    }

    static StackComponent jobManager(ClusterSize size) {
        return StackComponent.http(ClusterComponents.JOBMANAGER,
                List.of(new Port(REST_PORT, 8081), new Port(RPC_PORT, 6123)),
                launch -> start(launch, size, 0),
                StackProbes.http("/overview", Duration.ofSeconds(120)),
                launch -> launch.url() + "  (session cluster REST API and web UI)");
    }

    static StackComponent taskManager(ClusterSize size, int i) {
        return new StackComponent(ClusterComponents.taskManager(i), List.of(new Port(RPC_PORT, 6130 + i)), "",
                launch -> start(launch, size, i), registered(i, Duration.ofSeconds(120)),
                launch -> size.slotsPerTaskManager() + " slots, registered with " + launch.url(ClusterComponents.JOBMANAGER),
                state -> false);
    }

    /** Ready once the JobManager lists TaskManager {@code i} (its resource id is its name). */
    private static Readiness registered(int i, Duration timeout) {
        return (launch, started) -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            String jm = launch.url(ClusterComponents.JOBMANAGER);
            while (System.nanoTime() < deadline) {
                if (!started.process().isAlive()) {
                    throw new IllegalStateException(launch.component().name() + " exited at start; see " + launch.log());
                }
                if (FlinkRest.taskManagerRegistered(jm, ClusterComponents.taskManager(i))) {
                    return true;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException(launch.component().name() + " did not register with the JobManager "
                    + "after " + timeout.toSeconds() + " s; see " + launch.log());
        };
    }

    /** Task heap of each TaskManager for this many chips: {@value #TASK_HEAP_KB_PER_CHIP} KB a chip, spread. */
    static int taskHeapMb(int chips, ClusterSize size) {
        long mb = (long) chips * TASK_HEAP_KB_PER_CHIP / 1024 / size.taskmanagers();
        return (int) Math.max(MIN_TASK_HEAP_MB, Math.min(MAX_TASK_HEAP_MB, mb));
    }

    /** Starts the JobManager ({@code tm} 0) or TaskManager {@code tm}. */
    private static Optional<Started> start(Launch launch, ClusterSize size, int tm) throws Exception {
        String name = launch.component().name();
        Path conf = launch.data().resolve("conf");
        Path tmp = launch.data().resolve("tmp");
        Files.createDirectories(conf);
        Files.createDirectories(tmp);
        boolean jobManager = tm == 0;
        int jmRpc = jobManager ? launch.port(RPC_PORT) : launch.state().port(ClusterComponents.JOBMANAGER, RPC_PORT);
        int rest = jobManager ? launch.port(REST_PORT) : launch.state().port(ClusterComponents.JOBMANAGER, REST_PORT);
        FlinkSessionConfig config = new FlinkSessionConfig(size, jmRpc, rest, tmp, reporter(launch));
        Map<String, String> settings = jobManager ? config.jobManager()
                : config.taskManager(tm, launch.port(RPC_PORT), taskHeapMb(launch.options().chips(), size));
        Files.writeString(conf.resolve("config.yaml"), FlinkSessionConfig.render(settings));

        List<String> memory = memoryParameters(launch.layout(), conf, jobManager);
        List<String> jvm = new ArrayList<>(Arrays.asList(memory.get(0).trim().split("\\s+")));
        jvm.add("-XX:+UseSerialGC");
        jvm.add(FlinkJvm.rpcTimerTick());
        jvm.addAll(FlinkJvm.opens());
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        if (memory.size() > 1 && !memory.get(1).isBlank()) {
            args.addAll(Arrays.asList(memory.get(1).trim().split("\\s+")));
        }
        LocalProcess process = new JavaProcess(launch.layout()).start(name, MODULE, jvm, jobManager ? JM_MAIN : TM_MAIN,
                args);
        return Optional.of(Started.process(process));
    }

    /** The jobs' self-metrics reporter, as docker-compose's cluster has it: InfluxDB as the writer. */
    private static Map<String, String> reporter(Launch launch) {
        String prefix = "metrics.reporter.chipwatch_influx.";
        Map<String, String> p = new LinkedHashMap<>();
        String influx = launch.url(INFLUXDB);
        if (influx == null) {
            return p;
        }
        p.put(prefix + "factory.class", "io.chipwatch.jobs.metrics.InfluxMetricsReporterFactory");
        p.put(prefix + "interval", "10 s");
        p.put(prefix + "url", influx);
        p.put(prefix + "database", DATABASE);
        p.put(prefix + "credentials-file", StackInflux.writerFile().toAbsolutePath().toString());
        return p;
    }

    /**
     * What {@code BashJavaUtils GET_JM_RESOURCE_PARAMS|GET_TM_RESOURCE_PARAMS} prints for this configuration: line
     * 1 the JVM's memory flags, line 2 the {@code -D} options that follow the main class.
     */
    private static List<String> memoryParameters(StackLayout layout, Path conf, boolean jobManager)
            throws IOException, InterruptedException {
        String classpath = layout.moduleClasses(MODULE) + File.pathSeparator
                + Files.readString(layout.moduleClasspathFile(MODULE)).trim();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, MEMORY_TOOL,
                jobManager ? "GET_JM_RESOURCE_PARAMS" : "GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("Flink's " + MEMORY_TOOL + " failed for " + conf + ": " + out);
        }
        List<String> lines = out.lines().filter(l -> l.startsWith(MEMORY_RESULT))
                .map(l -> l.substring(MEMORY_RESULT.length())).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException(MEMORY_TOOL + " printed no memory settings for " + conf + ": " + out);
        }
        return lines;
    }
}
