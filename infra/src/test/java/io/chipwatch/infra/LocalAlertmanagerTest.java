package io.chipwatch.infra;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line {@link LocalAlertmanager} runs (no binary needed). */
class LocalAlertmanagerTest {

    @Test
    void writesItsNotificationLogToDiskEverySecondNotEveryFifteenMinutes() {
        LocalAlertmanager am = LocalAlertmanager.builder().dataDir(Path.of("/tmp/am-test"))
                .binary(Path.of("/usr/bin/prometheus-alertmanager")).build();
        assertThat(am.command()).contains("--data.maintenance-interval=1s", "--storage.path=/tmp/am-test/data")
                .contains("--cluster.listen-address=");
        assertThat(am.notificationLog()).isEqualTo(Path.of("/tmp/am-test/data/nflog"));
    }
}
