package io.chipwatch.collector.sim;

import java.util.Objects;

/**
 * A normal workload event a scenario asks for (CONTRACTS.md §2: these must not alert): a job starting or stopping.
 *
 * @param action         start or stop
 * @param atMillis       when, epoch ms (the first tick at or after it)
 * @param kind           start: the job's kind
 * @param nodes          start: how many nodes it takes (fewer when the cluster has no free run that long)
 * @param durationMillis start: how long it runs
 * @param job            stop: the job id, or {@code random-job} / {@code random-training-job} /
 *                       {@code random-inference-job}, resolved from the seed among the jobs running then
 */
public record JobEvent(Action action, long atMillis, JobKind kind, int nodes, long durationMillis, String job) {

    /** What happens. */
    public enum Action {
        START, STOP
    }

    public JobEvent {
        Objects.requireNonNull(action, "action");
        if (action == Action.START) {
            Objects.requireNonNull(kind, "kind");
            if (nodes < 1 || durationMillis < 1) {
                throw new IllegalArgumentException("a started job needs at least one node and a positive duration");
            }
        } else {
            Objects.requireNonNull(job, "job");
        }
    }

    public static JobEvent start(long atMillis, JobKind kind, int nodes, long durationMillis) {
        return new JobEvent(Action.START, atMillis, kind, nodes, durationMillis, null);
    }

    public static JobEvent stop(long atMillis, String job) {
        return new JobEvent(Action.STOP, atMillis, null, 0, 0, job);
    }
}
