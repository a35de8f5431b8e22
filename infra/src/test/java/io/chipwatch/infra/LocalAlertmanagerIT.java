package io.chipwatch.infra;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's prometheus-alertmanager as a process: rendered config valid, ready, stop and start on the same port, and
 * killed, it does not page again what it paged.
 */
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

    /**
     * {@code kill -9} of an Alertmanager that paged a firing alert; started again, it is handed the same alert (as the
     * alerting service re-posts its firing alerts) and must not page it again: its notification log came back from
     * disk. Before {@link LocalAlertmanager#MAINTENANCE_INTERVAL} it was written every 15 min only, and this paged twice.
     */
    @Test
    void aKilledAlertmanagerDoesNotPageAgainWhatItPaged(@TempDir Path dir) throws Exception {
        List<String> notified = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", exchange -> {
            notified.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        LocalAlertmanager am = LocalAlertmanager.builder().dataDir(dir.resolve("am"))
                .config(AlertmanagerConfig.webhooks("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"))
                .build();
        try (am) {
            am.start();
            postFiringAlert(am.url());
            await("the alert paged", () -> notified.size() == 1, notified);
            long paged = System.currentTimeMillis();
            await("the notification log on disk after the page", () -> Files.exists(am.notificationLog())
                    && Files.getLastModifiedTime(am.notificationLog()).toMillis() > paged, notified);

            ProcessHandle killed = ProcessHandle.of(am.pid()).orElseThrow();
            killed.destroyForcibly();
            killed.onExit().get(10, TimeUnit.SECONDS);
            am.start();
            postFiringAlert(am.url());
            await("the alert back in the new Alertmanager", () -> get(am.url() + "/api/v2/alerts")
                    .contains("ChaosTest"), notified);
            // Its group_wait (1 s) and more: a second page would come now.
            Thread.sleep(5_000);
            assertThat(notified).as("pages; the second is the restarted Alertmanager paging again").hasSize(1);
        } finally {
            hook.stop(0);
        }
    }

    private static void postFiringAlert(String url) throws Exception {
        String alert = "[{\"labels\":{\"alertname\":\"ChaosTest\",\"entity\":\"c1\"},\"endsAt\":\""
                + Instant.now().plus(Duration.ofMinutes(10)) + "\"}]";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url + "/api/v2/alerts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alert)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** A condition that may throw, polled by {@link #await}. */
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition done, Object seen) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 30 s; seen " + seen);
            }
            Thread.sleep(200);
        }
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
