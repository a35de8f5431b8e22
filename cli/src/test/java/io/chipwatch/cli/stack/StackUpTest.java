package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Readiness;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.cli.stack.supervise.SupervisorProcess;
import io.chipwatch.cli.stack.supervise.SupervisorState;
import io.chipwatch.infra.FreePorts;
import io.chipwatch.infra.LocalProcess;
import io.chipwatch.infra.ProcessControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one start sequence {@code up} runs for every component, on stand-in components (shell processes). */
class StackUpTest {

    @TempDir
    Path var;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<LocalProcess> started = new ArrayList<>();

    @Test
    void eachComponentGetsItsPortsItsPidRecordedBeforeItIsReadyAndASecondUpStartsNothing() throws Exception {
        int[] usual = FreePorts.pick(3);
        List<String> savedBeforeReady = new ArrayList<>();
        Readiness recordsState = (launch, s) -> {
            StackState saved = StackState.load(launch.layout().stateFile());
            savedBeforeReady.add(launch.component().name() + "=" + saved.pids.get(launch.component().name()));
            return true;
        };
        StackComponent db = new StackComponent("db", List.of(new Port("http", usual[0]), new Port("rpc", usual[1])),
                "http://", this::sleeper, recordsState, Launch::url, state -> false);
        StackComponent queue = new StackComponent("queue", List.of(new Port("broker", usual[2])), "",
                this::sleeper, recordsState, launch -> "queue at " + launch.url() + " after " + launch.url(LocalStack.INFLUXDB),
                state -> false);
        StackComponent absent = new StackComponent("absent", List.of(new Port("http", 1)), "http://",
                launch -> Optional.empty(), (l, s) -> { throw new AssertionError("not started"); }, Launch::url,
                state -> false);
        LocalStack stack = stack(List.of(db, queue, absent));
        try {
            StackState state = stack.up(new UpOptions(8, 1));

            assertThat(state.port("db", "http")).isEqualTo(usual[0]);
            assertThat(state.port("db", "rpc")).isEqualTo(usual[1]);
            assertThat(db.url(state)).isEqualTo("http://127.0.0.1:" + usual[0]);
            assertThat(queue.url(state)).isEqualTo("127.0.0.1:" + usual[2]);
            assertThat(state.pids).containsOnlyKeys("db", "queue");
            assertThat(savedBeforeReady).containsExactly("db=" + state.pids.get("db"),
                    "queue=" + state.pids.get("queue"));
            assertThat(StackState.load(stack.layout().stateFile()).pids).isEqualTo(state.pids);
            assertThat(output()).contains("db         started in ").contains("http://127.0.0.1:" + usual[0])
                    .contains("queue at 127.0.0.1:" + usual[2] + " after null");

            StackState again = stack.up(new UpOptions(8, 1));
            assertThat(again.pids).isEqualTo(state.pids);
            assertThat(output()).contains("db         already running (pid " + state.pids.get("db") + ")")
                    .contains("queue      already running (pid " + state.pids.get("queue") + ")");
            assertThat(started).hasSize(2);
        } finally {
            started.forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aComponentThatDoesNotGetReadyStopsUpButItsPidIsRecordedForDown() throws Exception {
        StackComponent broken = new StackComponent("broken", List.of(new Port("http", FreePorts.pick())), "http://",
                this::sleeper, StackProbes.http("/healthz", Duration.ofSeconds(1)), Launch::url, state -> false);
        StackComponent after = new StackComponent("after", List.of(new Port("http", 1)), "http://",
                launch -> { throw new AssertionError("started after a failure"); }, Readiness.STARTED, Launch::url,
                state -> false);
        LocalStack stack = stack(List.of(broken, after));
        try {
            assertThatThrownBy(() -> stack.up(new UpOptions(8, 1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("broken does not answer http://127.0.0.1:")
                    .hasMessageContaining(stack.layout().log("broken").toString());
            long pid = StackState.load(stack.layout().stateFile()).pids.get("broken");
            assertThat(ProcessControl.isAlive(pid)).isTrue();
        } finally {
            started.forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aComponentThatRunsWithoutOurPidIsLeftAlone() throws Exception {
        StackComponent container = new StackComponent("container", List.of(new Port("http", 1)), "http://",
                launch -> { throw new AssertionError("started again"); }, Readiness.STARTED, Launch::url,
                state -> true);
        StackState state = stack(List.of(container)).up(new UpOptions(8, 1));
        assertThat(state.pids).isEmpty();
        assertThat(output()).isEmpty();
    }

    @Test
    void downStopsTheSupervisorBeforeAnyComponentSoNothingIsRestarted() throws Exception {
        StackComponent collector = new StackComponent(LocalStack.COLLECTOR, List.of(new Port("http",
                FreePorts.pick())), "http://", this::sleeper, Readiness.STARTED, Launch::url, state -> false);
        LocalStack stack = stack(List.of(collector));
        try {
            StackState state = stack.up(new UpOptions(8, 1));
            LocalProcess supervisor = LocalProcess.builder("supervisor")
                    .command(List.of("/bin/sh", "-c", "sleep 60; : " + var))
                    .logFile(stack.layout().log("supervisor"))
                    .start();
            started.add(supervisor);
            new SupervisorState(supervisor.pid(), 0L, Map.of()).save(SupervisorState.file(stack.layout()));
            assertThat(SupervisorProcess.running(stack.layout())).isPresent();
            out.reset();

            stack.down(false);

            assertThat(ProcessControl.isAlive(supervisor.pid())).isFalse();
            assertThat(ProcessControl.isAlive(state.pids.get(LocalStack.COLLECTOR))).isFalse();
            assertThat(output().lines().toList()).first().asString().startsWith("  supervisor stopped in ");
            assertThat(output()).contains("collector  stopped in ");
            assertThat(SupervisorProcess.running(stack.layout())).isEmpty();
        } finally {
            started.forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
    }

    private LocalStack stack(List<StackComponent> components) {
        return new LocalStack(new StackLayout(var, var), new PrintStream(out, true, StandardCharsets.UTF_8),
                components);
    }

    /** A process whose command line names the stack's folder, as the stack's own processes do. */
    private Optional<Started> sleeper(Launch launch) {
        LocalProcess p = LocalProcess.builder(launch.component().name())
                .command(List.of("/bin/sh", "-c", "sleep 60; : " + launch.layout().var()))
                .logFile(launch.log())
                .start();
        started.add(p);
        return Optional.of(Started.process(p));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
