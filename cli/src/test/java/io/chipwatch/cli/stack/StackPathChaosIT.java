package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos on the rest of the path, as {@link StackChaosIT} does for the collector and the jobs: {@code kill -9} of
 * InfluxDB, then of the alerting service, then of the Kafka broker, then of Alertmanager, each restarted by the real
 * supervisor. After each: one telemetry-path alert naming it, paged firing then resolved (Alertmanager's own through
 * the new Alertmanager, the alerting service retrying the post), and nothing paged before paged again; at the end
 * every sample in Kafka is in the {@code chip} aggregates exactly once, and a chip then taken down is paged once.
 *
 * <p>Real faults are injected while a component is down: a {@code chip_down} right after the alerting service's
 * kill (the detection job's anomaly waits in Kafka; the restarted service must page {@code ChipDown} once, after its
 * own {@code TelemetrySilent}, which holds chip pages back, resolves) and another right after the broker's (the
 * collector holds its samples, with their own timestamps, so the chip's missing samples show once Kafka is back;
 * paged once the {@code PipelineDegraded} kafka that holds chip pages back resolves). Both chips stay down (10 min)
 * through Alertmanager's restart, which must not page them again. The chip and node pages are exactly the three
 * chips taken down, each paged firing once: none for the outages themselves, none twice.
 *
 * <p>The alerting service is the one that pages, so its own outage cannot page while it lasts: the supervisor's
 * {@code telemetry_silent} for it waits in Kafka and the restarted service pages it after the fact, and Alertmanager
 * stops receiving the {@code Watchdog} meanwhile (it stays active there up to four keepalives, 4 min, after the last
 * one: a dead man's switch sees an outage longer than that; a shorter one is this after-the-fact page). The test
 * checks both: the page, and the Watchdog posted again by the new process.
 */
class StackPathChaosIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    // A failed run keeps its stack's directory (var/logs) to read why.
    void killedInfluxAlertingKafkaAndAlertmanagerAreRestartedPagedOnceAndLoseNothing(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path var) throws Exception {
        try (ChaosStack chaos = ChaosStack.up(var)) {
            long from = (System.currentTimeMillis() - 20_000) / ChaosStack.WINDOW_MS * ChaosStack.WINDOW_MS;
            Duration restartBound = Duration.ofSeconds(90);
            Duration alertBound = Duration.ofSeconds(60);

            chaos.killAndAwaitRecovery(LocalStack.INFLUXDB, restartBound, alertBound);

            String alertmanager = LocalStack.url(chaos.stack().state(), LocalStack.ALERTMANAGER);
            Instant killed = Instant.now();
            Duration pageBound = Duration.ofSeconds(90);
            ChaosFaults.Injected whileAlertingDown = chaos.killInjectAndAwaitRecovery(LocalStack.ALERTING,
                    "chip_down", restartBound, alertBound);
            assertThat(watchdogUpdatedAt(alertmanager)).as("the Watchdog, posted again by the restarted service")
                    .isAfter(killed);
            chaos.faults().awaitPaged(whileAlertingDown, pageBound);

            ChaosFaults.Injected whileKafkaDown = chaos.killInjectAndAwaitRecovery(LocalStack.KAFKA, "chip_down",
                    restartBound, alertBound);
            chaos.faults().awaitPaged(whileKafkaDown, pageBound);

            // Alertmanager last: its own alert can only be paged through it once it is back (the alerting service
            // keeps retrying the post), and its restart must not page again what it paged before the kill (the
            // one-alert checks below: a repeat would read firing, resolved, firing).
            // Killed, Alertmanager keeps what its notification log had on disk (written every second): the two
            // chips it paged are not paged again by the new one (the one-page checks below).
            chaos.awaitAlertmanagerLogWrittenAfter(System.currentTimeMillis());
            Instant alertmanagerKilled = Instant.now();
            chaos.killAndAwaitRecovery(LocalStack.ALERTMANAGER, restartBound, alertBound);
            assertThat(watchdogUpdatedAt(alertmanager)).as("the Watchdog, posted again to the new Alertmanager")
                    .isAfter(alertmanagerKilled);

            chaos.assertExactCounts(from);
            chaos.assertCollectorLostNothing();

            // After all that, a real fault still pages, once: the path's alerts hold back no chip page for good.
            ChaosFaults.Injected after = chaos.faults().inject("chip_down", "random-busy-chip",
                    ChaosStack.FAULT_DURATION);
            chaos.faults().awaitPaged(after, Duration.ofSeconds(60));
            // Then a group interval (10 s) and more of quiet: a fault paged twice, or any other chip, would show.
            chaos.awaitTelemetryAlertsResolved(Duration.ofSeconds(60));
            Thread.sleep(15_000);
            chaos.faults().assertPagesAreTheInjectedFaults();
            assertThat(chaos.faults().chipAndNodePages().values()).as("nothing resolved: the chips are still down")
                    .allMatch(statuses -> statuses.equals(List.of("firing")));
            Map<String, List<String>> alerts = chaos.telemetryAlerts();
            List<String> named = List.of(LocalStack.INFLUXDB, LocalStack.ALERTING, LocalStack.KAFKA,
                    LocalStack.ALERTMANAGER);
            assertThat(alerts.keySet()).as("telemetry-path alerts, pages %s", chaos.pages())
                    .allMatch(k -> named.contains(ChaosStack.entity(k)));
            for (String component : named) {
                chaos.assertOneAlertNaming(component);
            }
        }
    }

    /** When Alertmanager last received the Watchdog ({@code updatedAt} of its v2 API). */
    private static Instant watchdogUpdatedAt(String alertmanager) throws IOException, InterruptedException {
        String filter = URLEncoder.encode("alertname=\"Watchdog\"", StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(alertmanager + "/api/v2/alerts?filter=" + filter)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode alerts = JSON.readTree(r.body());
        assertThat(alerts).as("Watchdog in Alertmanager: %s", r.body()).hasSize(1);
        return Instant.parse(alerts.get(0).path("updatedAt").asText());
    }
}
