package io.chipwatch.jobs.checkpoint;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a job keeps its checkpoints and whether it resumes from one; the same rules for every Chipwatch job.
 *
 * <p>With a checkpoint directory, checkpoints go there and are kept when the job is cancelled or the process dies;
 * with {@code restoreLatest}, the job starts from the newest completed one found there (if any), taking it over
 * (Flink deletes it once newer checkpoints have subsumed it), dropping the state of operators the job no longer has.
 * Without one, checkpoints go to a fresh temporary
 * directory that is deleted when the process exits. Checkpoints are always on the file system: Flink's in-memory
 * storage takes at most 5 MB of state per task, less than a job needs for 10,000 chips, and a failing checkpoint
 * fails the job.
 */
public final class CheckpointSettings {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointSettings.class);

    private CheckpointSettings() {
    }

    /**
     * Sets checkpoint storage, retention and, with {@code restoreLatest}, the checkpoint to start from on
     * {@code conf}.
     *
     * @param directory     checkpoint directory (path or URI); empty for a temporary one
     * @param restoreLatest resume from the newest completed checkpoint under {@code directory}; needs a directory
     * @throws IllegalArgumentException if {@code restoreLatest} is set without a directory
     * @throws UncheckedIOException     if the directory cannot be searched or the temporary one created
     */
    public static void apply(Configuration conf, Optional<String> directory, boolean restoreLatest) {
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        if (directory.isPresent()) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory.get());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            // Two, so that a checkpoint cut short by a crash never leaves nothing to resume from.
            conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        } else {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, temporaryDirectory());
        }
        if (restoreLatest) {
            String dir = directory.orElseThrow(() ->
                    new IllegalArgumentException("restoring the latest checkpoint needs a checkpoint directory"));
            Optional<String> latest;
            try {
                latest = LatestCheckpoint.in(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot search " + dir + " for checkpoints", e);
            }
            if (latest.isPresent()) {
                LOG.info("Resuming from checkpoint {}", latest.get());
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, latest.get());
                conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
                // State of an operator a newer version of the job no longer has (the detection job's former
                // "power-throttle-detector", now part of PeerDetector) is dropped: the monitor comes back up after
                // an upgrade instead of refusing to start. Every operator that still exists restores as before.
                conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
            } else {
                LOG.info("No completed checkpoint under {}: starting afresh", dir);
            }
        }
    }

    /** A new temporary directory for checkpoints nobody will resume from, removed when the JVM exits. */
    private static String temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("chipwatch-checkpoints-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "delete " + dir));
            return dir.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary checkpoint directory", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort: it is a temporary directory.
        }
    }
}
