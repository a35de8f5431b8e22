package io.chipwatch.alerting.pathwatch;

import java.util.List;

/**
 * Looks at one part of the telemetry path and says what is wrong with it now. Called by {@link PathWatch} on its
 * thread, one call at a time; a probe keeps whatever state it needs between calls (how long something has failed).
 */
@FunctionalInterface
public interface PathProbe {
    /**
     * The problems now; empty when all is well.
     *
     * @throws Exception when the probe could not tell (its open problems are kept as they are)
     */
    List<PathProblem> problems(long nowMillis) throws Exception;
}
