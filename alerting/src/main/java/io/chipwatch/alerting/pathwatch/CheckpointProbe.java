package io.chipwatch.alerting.pathwatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stream job whose checkpoints fail, named as such: the newest {@code inARow} finished checkpoints of the job its
 * Flink REST API lists ({@code /jobs/overview}, the one of the component's Flink job name when it serves others
 * too; then {@code /jobs/:id/checkpoints}: its history, by id, those in progress left out) all failed. The job
 * then commits no offset and a restart replays from its last completed checkpoint; {@link KafkaPath} sees it only
 * once the uncommitted lag passes its limit, this says why sooner. Entity the job's component name (the same alert
 * as its lag). It clears at the first completed checkpoint. A REST API that does not answer (the job's JVM is down:
 * the supervisor's alert) cannot tell.
 */
public final class CheckpointProbe implements PathProbe {
    private final String component;
    private final FlinkRest rest;
    private final int inARow;

    /**
     * @param component the job's component name (the alert's entity), e.g. {@code flink}
     * @param restUrl   its Flink REST API, e.g. {@code http://127.0.0.1:8081}
     * @param inARow    how many failed checkpoints in a row are a problem (at least 1)
     */
    public CheckpointProbe(String component, String restUrl, int inARow) {
        if (inARow < 1) {
            throw new IllegalArgumentException("inARow must be at least 1, got " + inARow);
        }
        this.component = component;
        this.rest = new FlinkRest(restUrl, PathWatchSettings.STACK_JOB_NAMES.get(component));
        this.inARow = inARow;
    }

    @Override
    public List<PathProblem> problems(long nowMillis) throws IOException, InterruptedException {
        return judge(rest.get("/jobs/" + rest.runningJobId() + "/checkpoints"), nowMillis);
    }

    /** The problem the checkpoint statistics of Flink's REST API ({@code /jobs/:id/checkpoints}) show, if any. */
    List<PathProblem> judge(JsonNode checkpoints, long nowMillis) {
        CheckpointStats stats = CheckpointStats.parse(checkpoints);
        int failed = stats.failedInARow();
        if (failed < inARow) {
            return List.of();
        }
        long since = stats.failingSinceMillis() < 0 ? nowMillis : stats.failingSinceMillis();
        String last = stats.anyCompleted() ? String.format(Locale.ROOT, "the last completed (%d) at %s",
                stats.lastCompletedId(), Instant.ofEpochMilli(stats.lastCompletedMillis()))
                : "none completed since the job started";
        String lastError = stats.lastFailure();
        double failingS = Math.max(0, nowMillis - since) / 1000.0;
        return List.of(new PathProblem(component, Severity.CRITICAL, since, String.format(Locale.ROOT,
                "stream job %s: checkpoints failing, its last %d failed in a row (for %.0f s; %s): it commits no "
                        + "offset and a restart replays from that checkpoint; latest failure: %s", component, failed,
                failingS, last, lastError.isEmpty() ? "(no message)" : lastError),
                Map.of(Fact.FAILING_S, failingS)));
    }

    @Override
    public String toString() {
        return "checkpoints of " + component + " at " + rest.url();
    }
}
