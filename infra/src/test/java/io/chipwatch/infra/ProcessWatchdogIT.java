package io.chipwatch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Attached processes die with their JVM even under kill -9; detached ones outlive it. */
class ProcessWatchdogIT {

    @TempDir
    Path tmp;

    @Test
    void attachedProcessDiesWhenItsJvmIsKilled() throws Exception {
        Process jvm = probe("attached");
        long child = readPid(jvm);
        assertThat(ProcessControl.isAlive(child)).isTrue();

        jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs, only the watchdog can help
        jvm.waitFor(10, TimeUnit.SECONDS);

        assertThat(ProcessControl.awaitExit(ProcessHandle.of(child).orElseThrow(), Duration.ofSeconds(15)))
                .as("sleep (pid %d) stopped by the watchdog", child).isTrue();
    }

    @Test
    void detachedProcessOutlivesItsJvmAndStopsByPid() throws Exception {
        Process jvm = probe("detached");
        long child = readPid(jvm);
        jvm.destroyForcibly();
        jvm.waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(1500);
        try {
            assertThat(ProcessControl.isAlive(child)).isTrue();
        } finally {
            assertThat(ProcessControl.stop(child, Duration.ofSeconds(5))).isTrue();
        }
        assertThat(ProcessControl.isAlive(child)).isFalse();
        assertThat(ProcessControl.stop(child, Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void stopEndsTheProcessAndItsDescendants() {
        LocalProcess shell = LocalProcess.builder("shell")
                .command(List.of("/bin/sh", "-c", "sleep 600 & sleep 600 & wait"))
                .logFile(tmp.resolve("shell.log"))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (shell.handle().descendants().count() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        List<ProcessHandle> family = shell.handle().descendants().toList();
        assertThat(family).hasSize(2);

        shell.stop(Duration.ofSeconds(5));

        assertThat(shell.isAlive()).isFalse();
        assertThat(family).noneMatch(ProcessHandle::isAlive);
    }

    private Process probe(String mode) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                ProcessProbe.class.getName(), mode, tmp.resolve(mode + ".log").toString())
                .redirectErrorStream(true)
                .start();
    }

    private static long readPid(Process jvm) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("pid ")) {
                return Long.parseLong(line.substring(4).trim());
            }
        }
        throw new AssertionError("the probe JVM ended without printing a pid");
    }
}
