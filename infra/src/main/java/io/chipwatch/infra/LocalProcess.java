package io.chipwatch.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One running server process (the Kafka broker JVM, influxd), with its output appended to a log file.
 *
 * <p>Two lifetimes, chosen with {@link Builder#detached}:
 * <ul>
 *   <li><b>detached</b> (the local stack): the process outlives the JVM that started it. It gets its own session
 *       ({@code setsid}), so closing the terminal or a Ctrl-C in it later does not reach it; stopping it is
 *       {@code ./telemetry down}'s job, by pid ({@link ProcessControl#stop(long, Duration)}).</li>
 *   <li><b>attached</b> (tests): the process must not outlive this JVM, even when the JVM is killed with
 *       {@code kill -9}. A shutdown hook stops it on a normal exit; for the hard cases a small watchdog shell
 *       polls once a second and, once this JVM is gone, stops the process (SIGTERM, SIGKILL after 10 s).</li>
 * </ul>
 */
public final class LocalProcess {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcess.class);

    /**
     * The watchdog: $1 is this JVM's pid, $2 the server's. The JVM counts as gone when the watchdog's parent is no
     * longer this JVM (it was re-parented), read from /proc where there is one: unlike {@code kill -0}, that does
     * not mistake a killed but not yet reaped JVM, or a new process reusing its pid, for a live one.
     */
    private static final String WATCHDOG_SCRIPT = String.join("\n",
            "jvm=$1; child=$2",
            "jvm_alive() {",
            "  if [ -r /proc/$$/stat ]; then [ \"$(cut -d' ' -f4 /proc/$$/stat)\" = \"$jvm\" ];",
            "  else kill -0 \"$jvm\" 2>/dev/null; fi",
            "}",
            "while jvm_alive && kill -0 \"$child\" 2>/dev/null; do sleep 1; done",
            "if kill -0 \"$child\" 2>/dev/null; then",
            "  kill \"$child\" 2>/dev/null",
            "  i=0",
            "  while [ $i -lt 10 ] && kill -0 \"$child\" 2>/dev/null; do sleep 1; i=$((i+1)); done",
            "  kill -9 \"$child\" 2>/dev/null",
            "fi");

    private final String name;
    private final Process process;
    private final Process watchdog;
    private final Path logFile;
    private final boolean detached;

    private LocalProcess(String name, Process process, Process watchdog, Path logFile, boolean detached) {
        this.name = name;
        this.process = process;
        this.watchdog = watchdog;
        this.logFile = logFile;
        this.detached = detached;
    }

    /** Options for a process to start; {@code name} is only used in log messages. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public boolean detached() {
        return detached;
    }

    public Path logFile() {
        return logFile;
    }

    /** The exit code once the process has ended. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /**
     * Stops the process and its descendants (SIGTERM, SIGKILL after {@code grace}); does nothing when it has
     * ended already. Safe to call from several threads (a test and the shutdown hook).
     */
    public synchronized void stop(Duration grace) {
        try {
            ProcessControl.stop(process.toHandle(), grace);
        } finally {
            if (watchdog != null) {
                watchdog.destroyForcibly();
            }
            AttachedProcesses.unregister(this);
        }
    }

    /** What to start and how; {@link #start()} launches it. */
    public static final class Builder {
        private final String name;
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> removedEnvironmentPrefixes = new ArrayList<>();
        private Path workDir;
        private Path logFile;
        private boolean detached;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The program and its arguments. */
        public Builder command(List<String> command) {
            this.command.clear();
            this.command.addAll(command);
            return this;
        }

        /** Where the process runs; default: this JVM's working directory. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** File that receives stdout and stderr, appended to (required: servers never write into a pipe). */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** Sets an environment variable of the process (on top of this JVM's environment). */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** Drops inherited environment variables starting with {@code prefix} (they would override its config). */
        public Builder removeEnvironmentStartingWith(String prefix) {
            removedEnvironmentPrefixes.add(prefix);
            return this;
        }

        /** True: outlives this JVM (local stack). False (default): dies with this JVM (tests). */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        /** Starts the process; it runs when this returns (whether it is ready to serve is the caller's check). */
        public LocalProcess start() {
            if (command.isEmpty()) {
                throw new IllegalStateException("no command for " + name);
            }
            Objects.requireNonNull(logFile, "logFile");
            try {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new InfraException("cannot create the folder of " + logFile, e);
            }
            List<String> cmd = new ArrayList<>();
            Optional<Path> setsid = detached ? setsid() : Optional.empty();
            // Called from a JVM, the child is never a process group leader, so setsid(1) does not fork and the
            // pid we see stays the server's.
            setsid.ifPresent(p -> cmd.add(p.toString()));
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            pb.environment().keySet().removeIf(k -> removedEnvironmentPrefixes.stream().anyMatch(k::startsWith));
            pb.environment().putAll(environment);
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new InfraException("cannot start " + name + " (" + cmd.get(0) + "): " + e.getMessage(), e);
            }
            Process watchdog = detached ? null : startWatchdog(process);
            LocalProcess started = new LocalProcess(name, process, watchdog, logFile, detached);
            if (!detached) {
                AttachedProcesses.register(started);
            }
            LOG.debug("started {} (pid {}, {}), log {}", name, process.pid(), detached ? "detached" : "attached",
                    logFile);
            return started;
        }

        private Process startWatchdog(Process process) {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", WATCHDOG_SCRIPT, "chipwatch-watchdog",
                    String.valueOf(ProcessHandle.current().pid()), String.valueOf(process.pid()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            try {
                return pb.start();
            } catch (IOException e) {
                // Without a watchdog the server could outlive a killed JVM: better not to run it at all.
                process.destroyForcibly();
                throw new InfraException("cannot start the watchdog for " + name + ": " + e.getMessage(), e);
            }
        }

        private static Optional<Path> setsid() {
            for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
                Path path = Path.of(candidate);
                if (Files.isExecutable(path)) {
                    return Optional.of(path);
                }
            }
            return Optional.empty();
        }
    }
}
