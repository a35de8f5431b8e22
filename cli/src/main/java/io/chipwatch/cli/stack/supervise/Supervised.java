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
}
