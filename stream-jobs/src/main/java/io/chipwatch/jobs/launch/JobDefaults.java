package io.chipwatch.jobs.launch;

import java.time.Duration;

/**
 * The defaults in which the jobs differ, of options both take ({@link CommonJobOptions}); every other shared
 * option has the same default in both.
 *
 * @param groupId            consumer group, and so where the job's committed offsets are
 * @param outOfOrderness     how far out of time order samples may arrive before they are late
 * @param checkpointInterval exactly-once checkpoint interval
 * @param tickQuiet          quiet after which a partition's tick is taken as complete ({@link JobSettings}); zero: off
 */
public record JobDefaults(String groupId, Duration outOfOrderness, Duration checkpointInterval, Duration tickQuiet) {
}
