package io.chipwatch.collector.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Logs each kind of problem once per source (target URL, command) until that source is clean again, so a fleet of
 * broken exporters does not flood the log every second; the self-metrics count every occurrence. Thread-safe.
 */
public final class ProblemLog {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemLog.class);

    private final Map<String, Set<SourceProblem>> logged = new HashMap<>();

    /** Logs {@code problem} of {@code source} unless it was logged since the source was last clean. */
    public synchronized boolean report(String source, SourceProblem problem, String detail) {
        if (!logged.computeIfAbsent(source, k -> EnumSet.noneOf(SourceProblem.class)).add(problem)) {
            return false;
        }
        LOG.warn("{}: {} ({}); logged once until it recovers, counted in chipwatch_collector_source_problems_total",
                source, problem.label(), detail);
        return true;
    }

    /** The source gave a clean reading: its problems are logged again when they come back. */
    public synchronized void clean(String source) {
        Set<SourceProblem> had = logged.remove(source);
        if (had != null && !had.isEmpty()) {
            LOG.info("{}: clean again (had {})", source, had);
        }
    }
}
