package io.chipwatch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ProcessControl#stopAll}: real shell processes that write down when SIGTERM reached them. */
class ProcessControlTest {

    /** A shell that writes the time (ns) it got SIGTERM into {@code file}; exits on it unless {@code stubborn}. */
    private static ProcessHandle start(Path file, boolean stubborn) throws IOException {
        String onTerm = "date +%s%N > " + file + (stubborn ? "" : "; exit 0");
        return new ProcessBuilder("sh", "-c", "trap '" + onTerm + "' TERM; while :; do sleep 0.1; done").start()
                .toHandle();
    }

    @Test
    void signalsEveryProcessBeforeWaitingAndKillsWhatStaysAfterTheGrace(@TempDir Path dir) throws Exception {
        // The stubborn one first: stopped one after the other, the second would get its SIGTERM only 2 s later.
        ProcessHandle stubborn = start(dir.resolve("stubborn"), true);
        ProcessHandle polite = start(dir.resolve("polite"), false);
        Thread.sleep(500);

        int running = ProcessControl.stopAll(List.of(stubborn, polite), Duration.ofSeconds(2));

        assertThat(running).isEqualTo(2);
        assertThat(List.of(stubborn, polite)).noneMatch(ProcessHandle::isAlive);
        long stubbornTerm = Long.parseLong(Files.readString(dir.resolve("stubborn")).trim());
        long politeTerm = Long.parseLong(Files.readString(dir.resolve("polite")).trim());
        assertThat(Math.abs(politeTerm - stubbornTerm) / 1_000_000).as("ms between the two SIGTERMs (grace 2,000)")
                .isLessThan(1_000);
        assertThat(ProcessControl.stopAll(List.of(polite), Duration.ofSeconds(1))).as("nothing left").isZero();
    }
}
