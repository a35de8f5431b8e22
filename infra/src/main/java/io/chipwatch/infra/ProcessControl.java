package io.chipwatch.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stopping processes by pid, with their descendants: what {@code ./telemetry down} does with the pids the local
 * stack recorded, and what {@link LocalProcess#stop} does with its own child.
 *
 * <p>A stop asks first (SIGTERM, so Kafka and influxd flush and close their files) and forces (SIGKILL) only
 * after the grace period.
 */
public final class ProcessControl {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessControl.class);
    /** How long to wait for the kernel to reap a process after SIGKILL. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private ProcessControl() {
    }

    /** True when a process with this pid exists now. */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The command line of a live process, where the OS tells it; lets callers check a recorded pid is theirs. */
    public static Optional<String> commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
    }

    /**
     * Stops the process {@code pid} and its descendants: SIGTERM, up to {@code grace} to exit, then SIGKILL.
     *
     * @return true when the process was running, false when there was nothing to stop
     */
    public static boolean stop(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isPresent() && stop(handle.get(), grace);
    }

    /**
     * Stops {@code process} and its descendants: SIGTERM, up to {@code grace} to exit, then SIGKILL.
     *
     * @return true when the process was running, false when there was nothing to stop
     */
    public static boolean stop(ProcessHandle process, Duration grace) {
        return stopAll(List.of(process), grace) > 0;
    }

    /**
     * Stops {@code processes} and their descendants at once: SIGTERM to all, up to {@code grace} for all to exit,
     * then SIGKILL to those left. For members of one cluster that must go together (a KRaft quorum whose last member,
     * stopped alone, waits for a controller that is gone).
     *
     * @return how many of {@code processes} were running
     */
    public static int stopAll(Collection<ProcessHandle> processes, Duration grace) {
        List<ProcessHandle> family = new ArrayList<>();
        int running = 0;
        for (ProcessHandle process : processes) {
            if (process.isAlive()) {
                running++;
                // Listed before the signal: once the parent is gone its children are re-parented and not found.
                family.add(process);
                family.addAll(process.descendants().toList());
            }
        }
        family.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle member : family) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!awaitExit(member, Duration.ofNanos(left))) {
                LOG.warn("process {} did not stop within {} s after SIGTERM; killing it", member.pid(),
                        grace.toSeconds());
                member.destroyForcibly();
                if (!awaitExit(member, KILL_WAIT)) {
                    throw new InfraException("process " + member.pid() + " is still alive after SIGKILL");
                }
            }
        }
        return running;
    }

    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
