package io.chipwatch.cli.stack;

import io.chipwatch.infra.ChipwatchHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./telemetry up}, {@code status} and {@code down} do, on the real processes: the whole stack comes
 * up, every simulated chip reaches InfluxDB, a second {@code up} starts nothing, and {@code down} leaves no
 * process behind. The stack's files go to a temporary folder instead of the checkout's {@code var/}.
 */
class LocalStackIT {
    private static final int CHIPS = 800;

    @Test
    void upBringsEveryChipIntoInfluxAndDownLeavesNothingRunning(@TempDir Path var) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(ChipwatchHome.root(), var),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            StackState state = stack.up(new UpOptions(CHIPS, 3));
            Map<String, Long> pids = Map.copyOf(state.pids);
            assertThat(pids.keySet()).containsExactlyInAnyOrderElementsOf(LocalStack.COMPONENTS);
            LocalStack.COMPONENTS.forEach(c -> assertThat(stack.alive(state, c)).as(c).isTrue());

            int reporting = 0;
            long deadline = System.nanoTime() + 150_000_000_000L;
            try (InfluxQueries influx = new InfluxQueries(LocalStack.url(state, LocalStack.INFLUXDB), LocalStack.DATABASE)) {
                while (reporting < CHIPS && System.nanoTime() < deadline) {
                    Thread.sleep(2_000);
                    reporting = influx.chipsReporting();
                }
            }
            assertThat(reporting).as("chips reporting; stack output:%n%s", out).isEqualTo(CHIPS);

            // Idempotent: a second up finds everything running and keeps the same processes.
            StackState again = stack.up(new UpOptions(CHIPS, 3));
            assertThat(again.pids).isEqualTo(pids);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("already running");
        } finally {
            StackState state = stack.state();
            List<Long> pids = List.copyOf(state.pids.values());
            stack.down(false);
            pids.forEach(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid %d after down", pid).isFalse());
        }
    }
}
