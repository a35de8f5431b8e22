package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.alerting.pathwatch.CheckpointStats;

import java.util.Optional;

/**
 * What a stream job's Flink REST API says of its progress, for {@code status}: the RUNNING job of a given name
 * ({@code /jobs/overview}: a session cluster's JobManager lists both jobs), its checkpoint statistics
 * ({@code /jobs/:id/checkpoints}, parsed by alerting's {@link CheckpointStats}, the path watch's parse), its
 * checkpoint interval ({@code /jobs/:id/checkpoints/config}) and how often Flink restarted it in place
 * ({@code numRestarts}). Read only: four GETs of 3 s at most.
 *
 * @param jobId       Flink's job id
 * @param startMillis when this execution of the job started (a restarted JVM starts it again)
 * @param intervalMs  its checkpoint interval, -1 when the answer had none
 * @param checkpoints its checkpoint statistics, null when they could not be read
 * @param restarts    Flink's {@code numRestarts} of the job (failovers inside this execution), null when unknown
 */
public record FlinkJobProgress(String jobId, long startMillis, long intervalMs, CheckpointStats checkpoints,
                               Long restarts) {

    /** The progress of the RUNNING job named {@code jobName} at {@code rest}; empty when none runs or no answer. */
    public static Optional<FlinkJobProgress> read(String rest, String jobName) {
        if (rest == null) {
            return Optional.empty();
        }
        return FlinkRest.get(rest + "/jobs/overview").flatMap(o -> runningJob(o, jobName)).map(job -> {
            String id = job.path("jid").asText();
            String base = rest + "/jobs/" + id;
            return of(job, FlinkRest.get(base + "/checkpoints").orElse(null),
                    FlinkRest.get(base + "/checkpoints/config").orElse(null),
                    FlinkRest.get(base + "/metrics?get=numRestarts").orElse(null));
        });
    }

    /** The entry of {@code /jobs/overview} for the RUNNING job named {@code jobName}, if any. */
    static Optional<JsonNode> runningJob(JsonNode overview, String jobName) {
        for (JsonNode job : overview.path("jobs")) {
            if (jobName.equals(job.path("name").asText()) && "RUNNING".equals(job.path("state").asText())) {
                return Optional.of(job);
            }
        }
        return Optional.empty();
    }

    /**
     * The progress from the answers: the job's {@code /jobs/overview} entry and its {@code checkpoints},
     * {@code checkpoints/config} and {@code metrics?get=numRestarts} answers (each null when it did not answer).
     */
    static FlinkJobProgress of(JsonNode job, JsonNode checkpoints, JsonNode config, JsonNode restartMetric) {
        Long restarts = null;
        if (restartMetric != null) {
            for (JsonNode m : restartMetric) {
                if ("numRestarts".equals(m.path("id").asText()) && m.path("value").asText().matches("\\d+")) {
                    restarts = Long.parseLong(m.path("value").asText());
                }
            }
        }
        return new FlinkJobProgress(job.path("jid").asText(), job.path("start-time").asLong(-1),
                config == null ? -1 : config.path("interval").asLong(-1),
                checkpoints == null ? null : CheckpointStats.parse(checkpoints), restarts);
    }
}
