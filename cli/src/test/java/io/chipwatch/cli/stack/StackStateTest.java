package io.chipwatch.cli.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StackStateTest {

    @Test
    void roundTripsPortsPidsAndOptions(@TempDir Path dir) throws Exception {
        StackState state = new StackState();
        state.port(LocalStack.KAFKA, "broker", 19092);
        state.pids.put(LocalStack.KAFKA, 1234L);
        state.chips = 10_000;
        state.seed = 7L;
        Path file = dir.resolve("run/stack.json");
        state.save(file);

        StackState loaded = StackState.load(file);
        assertThat(loaded.port(LocalStack.KAFKA, "broker")).isEqualTo(19092);
        assertThat(loaded.pids).containsEntry(LocalStack.KAFKA, 1234L);
        assertThat(LocalStack.url(loaded, LocalStack.KAFKA)).isEqualTo("127.0.0.1:19092");
        assertThat(LocalStack.url(loaded, LocalStack.INFLUXDB)).isNull();
        assertThat(loaded.chips).isEqualTo(10_000);
    }

    @Test
    void aMissingFileIsAnEmptyStack(@TempDir Path dir) throws Exception {
        assertThat(StackState.load(dir.resolve("none.json")).pids).isEmpty();
    }

    @Test
    void aPidIsOursOnlyWhileItsCommandLineNamesThisCheckout(@TempDir Path dir) {
        StackProcesses processes = new StackProcesses(new StackLayout(dir));
        // This test JVM is alive but was not started from the temporary checkout.
        assertThat(processes.alive(ProcessHandle.current().pid())).isFalse();
        assertThat(processes.alive(null)).isFalse();
    }

    @Test
    void flinkJvmOpensComeFromTheBuild() throws Exception {
        assertThat(FlinkJvm.opens()).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
    }
}
