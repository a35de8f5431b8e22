package io.chipwatch.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attached (non-detached) processes this JVM started, stopped by a shutdown hook so that a test run that
 * ends, or is interrupted with Ctrl-C, leaves no server behind. The watchdog of {@link LocalProcess} covers
 * {@code kill -9}, where no hook runs.
 */
final class AttachedProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(AttachedProcesses.class);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Set<LocalProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private AttachedProcesses() {
    }

    static void register(LocalProcess process) {
        installHook();
        RUNNING.add(process);
    }

    static void unregister(LocalProcess process) {
        RUNNING.remove(process);
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(AttachedProcesses::stopAll, "chipwatch-process-stopper"));
            hookInstalled = true;
        }
    }

    private static void stopAll() {
        List<LocalProcess> processes = List.copyOf(RUNNING);
        // Signal all first, then wait: the broker's and influxd's shutdowns overlap instead of adding up.
        processes.forEach(p -> p.handle().destroy());
        for (LocalProcess process : processes) {
            try {
                process.stop(GRACE);
            } catch (RuntimeException e) {
                LOG.warn("could not stop {} (pid {}): {}", process.name(), process.pid(), e.getMessage());
            }
        }
    }
}
