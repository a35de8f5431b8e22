package io.chipwatch.alerting.pathwatch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What Flink 2.2's checkpoint statistics ({@code GET /jobs/:id/checkpoints}) say of a job's progress: the one parse
 * of that answer, shared by {@link CheckpointProbe} (checkpoints failing) and the CLI's {@code status} (the age of
 * the last completed checkpoint).
 *
 * @param completed            checkpoints completed since the job (this execution) started ({@code counts})
 * @param failed               checkpoints failed since then
 * @param inProgress           checkpoints in progress now
 * @param lastCompletedId      the id of the latest completed checkpoint, -1 when none completed
 * @param lastCompletedMillis  when it completed (its latest acknowledgement), -1 when none completed
 * @param failedInARow         how many of the newest finished checkpoints (by id, those in progress left out) failed
 *                             since the last completed one in the history
 * @param failingSinceMillis   the trigger time of the oldest of those, -1 when none failed (or it has no time)
 * @param lastFailure          Flink's failure message of the newest failed one, empty when none
 */
public record CheckpointStats(long completed, long failed, long inProgress, long lastCompletedId,
                              long lastCompletedMillis, int failedInARow, long failingSinceMillis,
                              String lastFailure) {

    /** Parses an answer of {@code /jobs/:id/checkpoints}; missing parts count as none. */
    public static CheckpointStats parse(JsonNode checkpoints) {
        JsonNode counts = checkpoints.path("counts");
        int failedInARow = 0;
        long since = -1;
        String lastFailure = "";
        List<JsonNode> newestFirst = new ArrayList<>();
        checkpoints.path("history").forEach(newestFirst::add);
        newestFirst.sort(Comparator.comparingLong((JsonNode c) -> c.path("id").asLong()).reversed());
        for (JsonNode c : newestFirst) {
            String status = c.path("status").asText();
            if (status.equals("COMPLETED")) {
                break;
            }
            if (status.equals("FAILED")) {
                if (failedInARow++ == 0) {
                    lastFailure = c.path("failure_message").asText("");
                }
                since = c.path("trigger_timestamp").asLong(-1);
            }
        }
        JsonNode latest = checkpoints.path("latest").path("completed");
        boolean any = latest.isObject();
        return new CheckpointStats(counts.path("completed").asLong(0), counts.path("failed").asLong(0),
                counts.path("in_progress").asLong(0), any ? latest.path("id").asLong(-1) : -1,
                any ? latest.path("latest_ack_timestamp").asLong(-1) : -1, failedInARow, since, lastFailure);
    }

    /** True when a checkpoint completed since the job started. */
    public boolean anyCompleted() {
        return lastCompletedMillis >= 0;
    }

    /** Seconds since the latest completed checkpoint at {@code nowMillis}; NaN when none completed. */
    public double lastCompletedAgeS(long nowMillis) {
        return anyCompleted() ? Math.max(0, nowMillis - lastCompletedMillis) / 1000.0 : Double.NaN;
    }
}
