package io.chipwatch.cli.stack.supervise;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link Supervisor} watches and restarts: the local stack's components ({@link StackSupervised}), or
 * stand-ins in tests.
 */
public interface Supervised {

    /** The components to watch, in start order (when several are down they are restarted in this order). */
    List<String> names();

    /** The pid the component runs under now, when it runs. */
    Optional<Long> pid(String component);

    /**
     * Starts the component again and returns once it serves (a Flink job resumes from its latest checkpoint).
     *
     * @return the new pid
     * @throws Exception when it does not start or does not get ready
     */
    long restart(String component) throws Exception;

    /**
     * True when the running component answers its health probe at all (any HTTP status: an unhealthy answer means a
     * dependency is down, which a restart does not mend); false when it does not answer in a few seconds. A
     * component without a probe always answers.
     */
    default boolean answers(String component) {
        return true;
    }

    /** Kills the component's process {@code pid} at once (a hung one; the next look finds it down). */
    default void kill(String component, long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
