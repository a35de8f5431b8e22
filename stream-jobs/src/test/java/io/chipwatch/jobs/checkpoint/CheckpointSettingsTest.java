package io.chipwatch.jobs.checkpoint;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointSettingsTest {
    @TempDir
    Path dir;

    @Test
    void restoringTakesOverTheLatestCheckpointAndDropsStateOfRemovedOperators() throws Exception {
        Files.write(Files.createDirectories(dir.resolve("job/chk-7")).resolve(LatestCheckpoint.METADATA),
                new byte[]{1});
        Configuration conf = new Configuration();

        CheckpointSettings.apply(conf, Optional.of(dir.toString()), true);

        assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH)).endsWith("job/chk-7");
        assertThat(conf.get(StateRecoveryOptions.RESTORE_MODE)).isEqualTo(RecoveryClaimMode.CLAIM);
        assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(dir.toString());
    }

    @Test
    void aFreshStartRestoresNothing() {
        Configuration conf = new Configuration();

        CheckpointSettings.apply(conf, Optional.of(dir.toString()), true);

        assertThat(conf.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
        assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE)).isFalse();
    }

    @Test
    void restoringNeedsADirectory() {
        assertThatThrownBy(() -> CheckpointSettings.apply(new Configuration(), Optional.empty(), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint directory");
    }
}
