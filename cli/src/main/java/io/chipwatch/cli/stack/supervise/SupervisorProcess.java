package io.chipwatch.cli.stack.supervise;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.cli.stack.JavaProcess;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.cli.stack.StackProcesses;
import io.chipwatch.cli.stack.UpOptions;
import io.chipwatch.infra.LocalProcess;
import io.chipwatch.infra.ProcessControl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The supervisor as a process of the stack: a small detached JVM ({@code telemetry supervise}, a hidden verb) that
 * {@code up} leaves behind and {@code down} stops first. It is found by the pid in its own state file
 * ({@link SupervisorState}), trusted only while its command line names this stack's folder, as every stack pid.
 */
public final class SupervisorProcess {
    /** Its name: log file {@code var/logs/supervisor.log}, data folder, {@code -Dchipwatch.component}. */
    public static final String NAME = "supervisor";
    private static final String MAIN = "io.chipwatch.cli.TelemetryCli";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SupervisorProcess() {
    }

    /**
     * Where {@code up} leaves its options for the supervisor, which restarts with them: {@code var/run/up-options.json},
     * the {@link UpOptions} record as JSON (so an option added to {@code up} reaches restarts without a second
     * spelling).
     */
    public static Path optionsFile(StackLayout layout) {
        return layout.stateFile().resolveSibling("up-options.json");
    }

    /**
     * Writes the options of {@code up} for the supervisor, into a file of mode 600 from its creation: the webhook URLs
     * among them may carry tokens.
     */
    static void saveOptions(StackLayout layout, UpOptions options) throws IOException {
        Path file = optionsFile(layout);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        JSON.writeValue(tmp.toFile(), options);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The options {@code up} left for the supervisor. */
    public static UpOptions loadOptions(StackLayout layout) throws IOException {
        return JSON.readValue(optionsFile(layout).toFile(), UpOptions.class);
    }

    /**
     * Starts the supervisor and returns its pid once it has written its state file.
     *
     * @throws IllegalStateException when it exits or writes nothing within 30 s, naming its log
     */
    public static long start(StackLayout layout, UpOptions options) throws IOException, InterruptedException {
        stop(layout, new PrintStream(PrintStream.nullOutputStream()));
        saveOptions(layout, options);
        LocalProcess p = new JavaProcess(layout).start(NAME, "cli", List.of("-Xmx128m", "-XX:+UseSerialGC"), MAIN,
                List.of("supervise", "--var", layout.var().toAbsolutePath().toString()));
        Path file = SupervisorState.file(layout);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the supervisor exited at start (code " + p.exitCode().orElse(-1)
                        + "); see " + layout.log(NAME));
            }
            Long pid = readPid(file);
            if (pid != null && pid == p.pid()) {
                return pid;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the supervisor did not start within " + START_TIMEOUT.toSeconds()
                + " s; see " + layout.log(NAME));
    }

    /** The running supervisor of this stack, if any. */
    public static Optional<ProcessHandle> running(StackLayout layout) {
        return new StackProcesses(layout).ours(readPid(SupervisorState.file(layout)));
    }

    /**
     * Stops the supervisor, if one runs (SIGTERM: it stops restarting, resolves the alerts it raised and exits;
     * SIGKILL after 30 s), and says so on {@code out}.
     *
     * @return true when one was running
     */
    public static boolean stop(StackLayout layout, PrintStream out) {
        Optional<ProcessHandle> running = running(layout);
        if (running.isEmpty()) {
            return false;
        }
        long t0 = System.nanoTime();
        ProcessControl.stop(running.get(), Duration.ofSeconds(30));
        out.printf("  %-10s stopped in %.1f s%n", NAME, (System.nanoTime() - t0) / 1e9);
        return true;
    }

    private static Long readPid(Path file) {
        try {
            return SupervisorState.load(file).pid();
        } catch (IOException e) {
            return null;
        }
    }
}
