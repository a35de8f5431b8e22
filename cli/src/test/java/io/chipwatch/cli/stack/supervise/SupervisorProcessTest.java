package io.chipwatch.cli.stack.supervise;

import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.cli.stack.UpOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code up} hands the supervisor: its options, read back whole; and no supervisor where none runs. */
class SupervisorProcessTest {
    @TempDir
    Path var;

    @Test
    void theOptionsOfUpReachTheSupervisorWhole() throws Exception {
        StackLayout layout = new StackLayout(var, var);
        UpOptions options = new UpOptions(808, 42, var.resolve("scenario.yaml"), List.of("a=http://127.0.0.1:1/"),
                var.resolve("targets.json"));
        SupervisorProcess.saveOptions(layout, options);
        assertThat(SupervisorProcess.loadOptions(layout)).isEqualTo(options);

        UpOptions plain = new UpOptions(16, 1);
        SupervisorProcess.saveOptions(layout, plain);
        assertThat(SupervisorProcess.loadOptions(layout)).isEqualTo(plain);
        // Webhook URLs may carry tokens: owner only.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(SupervisorProcess.optionsFile(layout))))
                .isEqualTo("rw-------");
    }

    @Test
    void noSupervisorRunsWithoutItsStateFileAndStoppingNoneSaysNothing() {
        StackLayout layout = new StackLayout(var, var);
        assertThat(SupervisorProcess.running(layout)).isEmpty();
        assertThat(SupervisorProcess.stop(layout, System.out)).isFalse();
    }
}
