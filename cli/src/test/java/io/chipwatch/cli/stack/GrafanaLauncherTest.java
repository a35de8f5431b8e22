package io.chipwatch.cli.stack;

import io.chipwatch.model.influx.InfluxCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GrafanaLauncherTest {

    @Test
    void findsTheNewBinaryBeforeTheOldOneAndItsHomeFolder() {
        Set<Path> executables = Set.of(Path.of("/opt/grafana/bin/grafana"), Path.of("/opt/grafana/bin/grafana-server"));
        Set<Path> dirs = Set.of(Path.of("/opt/grafana/conf"));
        assertThat(GrafanaLauncher.findBinary("/usr/bin:/opt/grafana/bin", executables::contains, dirs::contains))
                .contains(new GrafanaLauncher.Binary(Path.of("/opt/grafana/bin/grafana"), Path.of("/opt/grafana")));
    }

    @Test
    void aDebianStyleLinkInUsrSbinUsesUsrShareGrafanaAsHome() {
        Set<Path> executables = Set.of(Path.of("/usr/sbin/grafana-server"));
        Set<Path> dirs = Set.of(Path.of("/usr/share/grafana/conf"));
        assertThat(GrafanaLauncher.findBinary("/usr/bin", executables::contains, dirs::contains))
                .contains(new GrafanaLauncher.Binary(Path.of("/usr/sbin/grafana-server"), Path.of("/usr/share/grafana")));
    }

    @Test
    void noBinaryOrOneWithoutAHomeIsNone() {
        assertThat(GrafanaLauncher.findBinary("/usr/bin:/bin", p -> false, p -> true)).isEmpty();
        assertThat(GrafanaLauncher.findBinary(null, p -> p.endsWith("grafana"), p -> false)).isEmpty();
    }

    @Test
    void theBinaryRunsOnTheStacksFoldersWithTheCheckoutsProvisioning() {
        var binary = new GrafanaLauncher.Binary(Path.of("/opt/g/bin/grafana"), Path.of("/opt/g"));
        assertThat(GrafanaLauncher.binaryCommand(binary, Path.of("/repo/var/grafana"), Path.of("/repo/dashboards/provisioning")))
                .containsSubsequence("/opt/g/bin/grafana", "server", "--homepath", "/opt/g")
                .contains("cfg:default.paths.data=/repo/var/grafana/data",
                        "cfg:default.paths.provisioning=/repo/dashboards/provisioning");
        var old = new GrafanaLauncher.Binary(Path.of("/usr/sbin/grafana-server"), Path.of("/usr/share/grafana"));
        assertThat(GrafanaLauncher.binaryCommand(old, Path.of("/v"), Path.of("/p"))).doesNotContain("server");
    }

    @Test
    void listensOnLoopbackWithTheGivenPasswordAndFeedsTheProvisioningVariables() {
        Map<String, String> env = GrafanaLauncher.environment(3001, "http://127.0.0.1:8086", "telemetry",
                "/repo/dashboards/dashboards", "s3cret",
                Optional.of(new InfluxCredentials("chipwatch_reader", "reader-pw")));
        assertThat(env).containsEntry("GF_SERVER_HTTP_ADDR", "127.0.0.1")
                .containsEntry("GF_SERVER_HTTP_PORT", "3001")
                .containsEntry("GF_SECURITY_ADMIN_PASSWORD", "s3cret")
                .containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
                .containsEntry("CHIPWATCH_INFLUX_URL", "http://127.0.0.1:8086")
                .containsEntry("CHIPWATCH_INFLUX_DB", "telemetry")
                .containsEntry("CHIPWATCH_DASHBOARDS_DIR", "/repo/dashboards/dashboards")
                .containsEntry("CHIPWATCH_INFLUX_USER", "chipwatch_reader")
                .containsEntry("CHIPWATCH_INFLUX_PASSWORD", "reader-pw");
        assertThat(GrafanaLauncher.environment(3001, "u", "d", "/d", "p", Optional.empty()))
                .containsEntry("CHIPWATCH_INFLUX_USER", "").containsEntry("CHIPWATCH_INFLUX_PASSWORD", "");
    }

    @Test
    void dockerGetsTheEnvironmentFromAPrivateFileNeverFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path envFile = GrafanaLauncher.writeEnvFile(dir.resolve("grafana/grafana.env"),
                GrafanaLauncher.environment(3001, "http://127.0.0.1:8086", "telemetry", "/d", "s3cret-admin",
                        Optional.of(new InfluxCredentials("chipwatch_reader", "reader-pw"))));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(envFile)).contains("GF_SECURITY_ADMIN_PASSWORD=s3cret-admin",
                "CHIPWATCH_INFLUX_PASSWORD=reader-pw");
        List<String> cmd = GrafanaLauncher.dockerCommand("g", envFile, Path.of("/p"), Path.of("/d"));
        assertThat(cmd).containsSubsequence("--env-file", envFile.toString()).doesNotContain("-e")
                .noneMatch(a -> a.contains("s3cret-admin") || a.contains("reader-pw"));
    }

    @Test
    void thePasswordComesFromTheEnvironmentElseIsGeneratedOnceIntoAPrivateFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chipwatch/grafana-admin-password");
        assertThat(GrafanaLauncher.adminPassword(Map.of(GrafanaLauncher.PASSWORD_ENV, "from-env"), file))
                .isEqualTo("from-env");
        assertThat(file).doesNotExist();
        String generated = GrafanaLauncher.adminPassword(Map.of(), file);
        assertThat(generated).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo("admin");
        assertThat(GrafanaLauncher.adminPassword(Map.of(), file)).isEqualTo(generated);
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    }

    @Test
    void runsTheImageDockerComposePins() throws Exception {
        Path compose = Path.of(System.getProperty("user.dir")).getParent().resolve("docker-compose.yml");
        assertThat(Files.readString(compose)).contains("image: " + GrafanaLauncher.IMAGE);
    }
}
