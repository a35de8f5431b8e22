package io.chipwatch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalInfluxDbTest {

    @TempDir
    Path tmp;

    @Test
    void findsInfluxdOnThePathFirst() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path influxd = Files.createFile(bin.resolve("influxd"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(LocalInfluxDb.findInfluxd("/nowhere:" + bin, List.of("/usr/bin/influxd"))).contains(influxd);
    }

    @Test
    void missingInfluxdIsExplained() {
        assertThat(LocalInfluxDb.findInfluxd("", List.of(tmp.resolve("influxd").toString()))).isEmpty();
        assertThatThrownBy(() -> LocalInfluxDb.builder().dataDir(tmp).binary(tmp.resolve("influxd")).build().start())
                .isInstanceOf(InfraException.class);
        assertThat(LocalInfluxDb.NOT_INSTALLED).contains("./telemetry test").contains("apt-get install influxdb");
    }

    @Test
    void builderRejectsBadPorts() {
        assertThatThrownBy(() -> LocalInfluxDb.builder().port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalInfluxDb.builder().build()).isInstanceOf(NullPointerException.class);
    }
}
