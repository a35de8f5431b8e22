package io.chipwatch.cli.stack;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chipwatch.alerting.pathwatch.CheckpointStats;
import io.chipwatch.alerting.pathwatch.PathWatchSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A stream job's liveness as {@code status} shows it (its line in the table, its entry under {@code health} in the
 * JSON), and the rule that calls a running job {@code degraded}: running but not making progress.
 *
 * <p>The rule ({@link #judge}), for a job Flink lists RUNNING:
 * <ul>
 *   <li>its last completed checkpoint is older than {@value #CHECKPOINT_INTERVALS} checkpoint intervals (the
 *       interval its REST API reports; 10 s for both jobs) — or none completed that long after the job started:
 *       it commits no Kafka offset and a restart would replay from that checkpoint (the path watch's
 *       "checkpoints failing" is 3 failed in a row: the same 30 s);</li>
 *   <li>its consumer group is more than {@link #LAG_LIMIT} of samples behind the samples topic (records behind ÷
 *       the topic's ingest rate over the last minute; alerting's {@code --job-lag-limit} default); judged only
 *       while samples flow;</li>
 *   <li>the aggregation job only: the newest {@code chip} point in InfluxDB (data freshness: the last successful
 *       write) is older than {@link #POINT_AGE_LIMIT} (the lag limit plus the 10 s window the point's time
 *       starts), or there is none in the last 5 min, while samples flow and the job has run that long.</li>
 * </ul>
 *
 * @param state                   {@code up}, {@code degraded} or {@code down} (not RUNNING)
 * @param uptimeS                 seconds since this execution of the job started; null when not read
 * @param restarts                Flink's own restarts of the job (failovers) in this execution; null when unknown
 * @param lastCheckpointAgeS      seconds since the last completed checkpoint; null when none or not read
 * @param checkpointIntervalS     the job's checkpoint interval
 * @param checkpointsCompleted    checkpoints completed in this execution
 * @param checkpointsFailed       checkpoints failed in this execution
 * @param checkpointsFailedInARow the newest finished checkpoints that failed, since the last completed one
 * @param lagRecords              records of the samples topic its consumer group is behind; null when it committed
 *                                none or Kafka did not answer
 * @param lagS                    the same in seconds of samples; null while no samples flow
 * @param newestPointAgeS         aggregation only: seconds since the newest {@code chip} point's time; null for the
 *                                detection job or when there is none in the last 5 min
 * @param problems                why it is degraded; empty when it is not
 */
public record JobHealth(String state, Double uptimeS, Long restarts, Double lastCheckpointAgeS,
                        Double checkpointIntervalS, Long checkpointsCompleted, Long checkpointsFailed,
                        Integer checkpointsFailedInARow, Long lagRecords, Double lagS, Double newestPointAgeS,
                        List<String> problems) implements ServiceHealth.Noted {
    public static final String UP = "up";
    public static final String DEGRADED = "degraded";
    public static final String DOWN = "down";
    /** A last checkpoint older than this many intervals is degraded (the path watch's failures in a row). */
    public static final int CHECKPOINT_INTERVALS = PathWatchSettings.CHECKPOINTS_FAILED_IN_A_ROW;
    /** The interval both jobs checkpoint at by default, when the REST API does not say. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    /** A job further behind the samples topic than this is degraded (alerting's {@code --job-lag-limit}). */
    public static final Duration LAG_LIMIT = PathWatchSettings.DEFAULT.lagLimit();
    /** An aggregation job whose newest chip point is older than this is degraded: the lag limit + its window. */
    public static final Duration POINT_AGE_LIMIT = LAG_LIMIT.plusSeconds(10);

    public JobHealth {
        problems = List.copyOf(problems);
    }

    /**
     * The health of one job from what could be read.
     *
     * @param running         Flink lists the job RUNNING ({@code status} says up)
     * @param flink           what its REST API says; null when it did not answer
     * @param lag             its consumer group's lag; null when it committed none or Kafka did not answer
     * @param writesPoints    true for the aggregation job, whose newest chip point is judged
     * @param newestPointAgeS the newest chip point's age, null when none in the last 5 min (or not read)
     * @param nowMillis       now
     */
    public static JobHealth judge(boolean running, FlinkJobProgress flink, JobLag lag, boolean writesPoints,
                                  Double newestPointAgeS, long nowMillis) {
        FlinkJobProgress f = running ? flink : null;
        CheckpointStats cp = f == null ? null : f.checkpoints();
        Double uptimeS = f == null || f.startMillis() < 0 ? null : Math.max(0, nowMillis - f.startMillis()) / 1000.0;
        double intervalS = (f == null || f.intervalMs() <= 0 ? DEFAULT_CHECKPOINT_INTERVAL.toMillis()
                : f.intervalMs()) / 1000.0;
        Double ageS = cp == null || !cp.anyCompleted() ? null : cp.lastCompletedAgeS(nowMillis);
        Double lagS = lag == null ? null : lag.seconds();
        List<String> problems = new ArrayList<>();
        if (running) {
            double limitS = CHECKPOINT_INTERVALS * intervalS;
            if (ageS != null && ageS > limitS) {
                problems.add(String.format(Locale.ROOT, "last checkpoint %.0f s ago, over %.0f s (%d intervals)",
                        ageS, limitS, CHECKPOINT_INTERVALS));
            } else if (cp != null && ageS == null && uptimeS != null && uptimeS > limitS) {
                problems.add(String.format(Locale.ROOT, "no checkpoint completed in the %.0f s since it started "
                        + "(limit %.0f s)", uptimeS, limitS));
            }
            if (lagS != null && lagS > LAG_LIMIT.toSeconds()) {
                problems.add(String.format(Locale.ROOT, "%.0f s of samples behind, over %d s", lagS,
                        LAG_LIMIT.toSeconds()));
            }
            boolean flowing = lag != null && lag.samplesFlow();
            double pointLimitS = POINT_AGE_LIMIT.toSeconds();
            if (writesPoints && flowing && newestPointAgeS != null && newestPointAgeS > pointLimitS) {
                problems.add(String.format(Locale.ROOT, "newest chip point %.0f s old, over %.0f s",
                        newestPointAgeS, pointLimitS));
            } else if (writesPoints && flowing && newestPointAgeS == null && uptimeS != null
                    && uptimeS > pointLimitS) {
                problems.add("no chip point written in the last 5 min while samples flow");
            }
        }
        return new JobHealth(!running ? DOWN : problems.isEmpty() ? UP : DEGRADED, uptimeS,
                f == null ? null : f.restarts(), ageS, intervalS, cp == null ? null : cp.completed(),
                cp == null ? null : cp.failed(), cp == null ? null : cp.failedInARow(),
                lag == null ? null : lag.records(), lagS, writesPoints ? newestPointAgeS : null, problems);
    }

    /**
     * The table's note: {@code last checkpoint 4 s ago, 1,234 records behind (1 s), newest point 14 s old}, then
     * why it is degraded.
     */
    @JsonIgnore
    @Override
    public String note() {
        List<String> parts = new ArrayList<>();
        if (!DOWN.equals(state)) {
            if (lastCheckpointAgeS != null) {
                parts.add(String.format(Locale.ROOT, "last checkpoint %.0f s ago", lastCheckpointAgeS));
            } else if (checkpointsCompleted != null) {
                parts.add(uptimeS == null ? "no checkpoint yet"
                        : String.format(Locale.ROOT, "no checkpoint yet (started %.0f s ago)", uptimeS));
            } else {
                parts.add("checkpoints unknown");
            }
            if (checkpointsFailedInARow != null && checkpointsFailedInARow > 0) {
                parts.add(checkpointsFailedInARow + " failed in a row");
            }
            if (restarts != null && restarts > 0) {
                parts.add("Flink restarted it " + restarts + (restarts == 1 ? " time" : " times"));
            }
        }
        if (lagRecords != null) {
            parts.add(String.format(Locale.ROOT, "%,d records behind", lagRecords)
                    + (lagS == null ? "" : String.format(Locale.ROOT, " (%.0f s)", lagS)));
        }
        if (newestPointAgeS != null) {
            parts.add(String.format(Locale.ROOT, "newest point %.0f s old", newestPointAgeS));
        }
        String note = String.join(", ", parts);
        return problems.isEmpty() ? note : note + "; " + String.join("; ", problems);
    }
}
