package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Readiness;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.cli.stack.supervise.ComponentStatus;
import io.chipwatch.cli.stack.supervise.RestartPolicy;
import io.chipwatch.cli.stack.supervise.StackSupervised;
import io.chipwatch.cli.stack.supervise.Supervisor;
import io.chipwatch.cli.stack.supervise.SupervisorClock;
import io.chipwatch.cli.stack.supervise.ComponentAlerts;
import io.chipwatch.infra.FreePorts;
import io.chipwatch.infra.LocalProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real child JVM under the supervisor, on the stack's own start sequence: {@code kill -9} of it is seen, it is
 * started again (new pid recorded in the stack's state file) and the restart is counted.
 */
class SupervisedRestartIT {
    @TempDir
    Path var;
    private final List<LocalProcess> started = new ArrayList<>();

    @Test
    void aKilledJvmIsRestartedRecordedAndCounted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StackComponent sleeper = new StackComponent("sleeper", List.of(new Port("http", FreePorts.pick())),
                "http://", this::jvm, Readiness.STARTED, Launch::url, state -> false);
        LocalStack stack = new LocalStack(new StackLayout(var, var), new PrintStream(out, true, StandardCharsets.UTF_8),
                List.of(sleeper));
        List<String> log = new ArrayList<>();
        try {
            StackState state = stack.up(new UpOptions(8, 1));
            long first = state.pids.get("sleeper");
            awaitOurs(stack, state);
            Supervisor supervisor = new Supervisor(new StackSupervised(stack, new UpOptions(8, 1), List.of("sleeper")),
                    new RestartPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(60), 3,
                            Duration.ZERO, Duration.ZERO),
                    ComponentAlerts.NONE, SupervisorClock.SYSTEM, log::add);
            supervisor.tick();

            ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (supervisor.status().get("sleeper").restarts() == 0 && System.nanoTime() < deadline) {
                supervisor.tick();
                Thread.sleep(100);
            }

            ComponentStatus status = supervisor.status().get("sleeper");
            assertThat(status.restarts()).as("log %s", log).isEqualTo(1);
            assertThat(status.state()).isEqualTo(ComponentStatus.UP);
            long second = StackState.load(stack.layout().stateFile()).pids.get("sleeper");
            assertThat(second).isNotEqualTo(first).isEqualTo(status.pid());
            assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive)).contains(true);
            assertThat(log).anyMatch(l -> l.startsWith("sleeper (pid " + first + ") is down"))
                    .anyMatch(l -> l.startsWith("restarted sleeper (pid " + second + ")"));
        } finally {
            started.forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
    }

    /** Until the child has exec'd java (just after the spawn its command line is the spawn helper's). */
    private static void awaitOurs(LocalStack stack, StackState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!stack.alive(state, "sleeper") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** A trivial JVM whose command line names the stack's folder, as the stack's own processes do. */
    private Optional<Started> jvm(Launch launch) {
        LocalProcess p = LocalProcess.builder(launch.component().name())
                .command(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
                        // Before the long classpath: the OS may cut a long command line short.
                        "-Dchipwatch.stack=" + launch.layout().var(),
                        "-cp", System.getProperty("java.class.path"), SleeperMain.class.getName()))
                .logFile(launch.log())
                .start();
        started.add(p);
        return Optional.of(Started.process(p));
    }
}
