package io.chipwatch.jobs.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LatestCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void findsTheNewestCompletedCheckpointAcrossJobRuns() throws Exception {
        completed("0b1e-old-job/chk-41", 1_000);
        completed("0b1e-old-job/chk-42", 2_000);
        completed("77aa-new-job/chk-3", 3_000);
        Files.createDirectories(dir.resolve("77aa-new-job/chk-4"));          // cut short: no _metadata
        Files.createDirectories(dir.resolve("77aa-new-job/shared"));
        Files.createDirectories(dir.resolve("77aa-new-job/taskowned"));

        assertThat(LatestCheckpoint.in(dir.toUri().toString()))
                .hasValueSatisfying(p -> assertThat(p).endsWith("77aa-new-job/chk-3"));
    }

    @Test
    void sameTimeGoesToTheHigherNumber() throws Exception {
        completed("job/chk-9", 5_000);
        completed("job/chk-10", 5_000);

        assertThat(LatestCheckpoint.in(dir.toString())).hasValueSatisfying(p -> assertThat(p).endsWith("job/chk-10"));
    }

    @Test
    void nothingToResumeFromInAnEmptyOrMissingDirectory() throws Exception {
        assertThat(LatestCheckpoint.in(dir.toUri().toString())).isEmpty();
        assertThat(LatestCheckpoint.in(dir.resolve("absent").toUri().toString())).isEmpty();
        Files.createDirectories(dir.resolve("job/chk-1"));
        assertThat(LatestCheckpoint.in(dir.toUri().toString())).isEmpty();
    }

    private void completed(String checkpoint, long modifiedMillis) throws Exception {
        Path metadata = Files.createDirectories(dir.resolve(checkpoint)).resolve(LatestCheckpoint.METADATA);
        Files.write(metadata, new byte[]{1});
        Files.setLastModifiedTime(metadata, FileTime.from(Instant.ofEpochMilli(modifiedMillis)));
    }
}
