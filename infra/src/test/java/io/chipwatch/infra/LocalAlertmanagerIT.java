package io.chipwatch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's prometheus-alertmanager as a process: rendered config valid, ready, stop and start on the same port. */
class LocalAlertmanagerIT {

    @Test
    void startsReadyStopsAndStartsAgainOnTheSamePort(@TempDir Path dir) throws Exception {
        LocalAlertmanager am = LocalAlertmanager.builder().dataDir(dir.resolve("am"))
                .config(AlertmanagerConfig.webhooks("http://127.0.0.1:9/hook")).build();
        try (am) {
            am.start();
            assertThat(LocalAlertmanager.ready(am.url())).isTrue();
            long pid = am.pid();
            assertThat(ProcessHandle.of(pid)).isPresent();
            assertThat(Files.readString(dir.resolve("am/alertmanager.yml"))).contains("chipwatch-webhook");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("am/alertmanager.yml"))))
                    .as("its webhook URLs may carry secrets").isEqualTo("rw-------");
            assertThat(get(am.url() + "/api/v2/status")).contains("\"original\":")
                    .contains("http://127.0.0.1:9/hook");
            int port = am.port();
            am.stop();
            assertThat(am.isRunning()).isFalse();
            assertThat(LocalAlertmanager.ready(am.url())).isFalse();
            am.start();
            assertThat(am.port()).isEqualTo(port);
            assertThat(am.pid()).isNotEqualTo(pid);
        }
        assertThat(am.isRunning()).isFalse();
    }

    @Test
    void theRenderedConfigsPassAmtool(@TempDir Path dir) throws Exception {
        Path amtool = Path.of("/usr/bin/amtool");
        for (AlertmanagerConfig config : List.of(AlertmanagerConfig.nullReceiver(),
                AlertmanagerConfig.webhooks("http://a:1/x", "http://b:2/y'quote"))) {
            Path file = dir.resolve("alertmanager.yml");
            Files.writeString(file, config.render());
            Process p = new ProcessBuilder(amtool.toString(), "check-config", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
