package io.chipwatch.jobs.checkpoint;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Optional;

/**
 * Finds the checkpoint a restarted job should resume from: the newest <em>completed</em> checkpoint under a
 * checkpoint directory, whatever job run wrote it. Flink lays retained checkpoints out as
 * {@code <dir>/<job-id>/chk-<n>/_metadata}; a new job id is drawn on every start, and the {@code _metadata} file is
 * written last, so a checkpoint directory without it is one the process died while writing.
 */
public final class LatestCheckpoint {
    static final String METADATA = "_metadata";
    static final String CHECKPOINT_PREFIX = "chk-";

    private LatestCheckpoint() {
    }

    /**
     * The newest completed checkpoint (its {@code chk-<n>} directory) under {@code checkpointDir}, by the time its
     * metadata was written, then by checkpoint number; empty if there is none or the directory does not exist.
     */
    public static Optional<String> in(String checkpointDir) throws IOException {
        Path root = new Path(checkpointDir);
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) {
            return Optional.empty();
        }
        Path best = null;
        long bestTime = Long.MIN_VALUE;
        long bestNumber = Long.MIN_VALUE;
        for (FileStatus job : list(fs, root)) {
            if (!job.isDir()) {
                continue;
            }
            for (FileStatus checkpoint : list(fs, job.getPath())) {
                String name = checkpoint.getPath().getName();
                if (!checkpoint.isDir() || !name.startsWith(CHECKPOINT_PREFIX)) {
                    continue;
                }
                long number;
                try {
                    number = Long.parseLong(name.substring(CHECKPOINT_PREFIX.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                Path metadata = new Path(checkpoint.getPath(), METADATA);
                if (!fs.exists(metadata)) {
                    continue;
                }
                long time = fs.getFileStatus(metadata).getModificationTime();
                if (time > bestTime || (time == bestTime && number > bestNumber)) {
                    best = checkpoint.getPath();
                    bestTime = time;
                    bestNumber = number;
                }
            }
        }
        return Optional.ofNullable(best).map(Path::toString);
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] entries = fs.listStatus(dir);
        return entries == null ? new FileStatus[0] : entries;
    }
}
