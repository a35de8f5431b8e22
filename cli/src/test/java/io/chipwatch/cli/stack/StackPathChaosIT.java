package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
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
 * InfluxDB, then of the alerting service, then of the Kafka broker, each restarted by the real supervisor. After
 * each: one telemetry-path alert naming it, paged firing then resolved; at the end every sample in Kafka is in the
 * {@code chip} aggregates exactly once and no chip or node was paged.
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
    void killedInfluxAlertingAndKafkaAreRestartedPagedOnceAndLoseNothing(@TempDir Path var) throws Exception {
        try (ChaosStack chaos = ChaosStack.up(var)) {
            long from = (System.currentTimeMillis() - 20_000) / ChaosStack.WINDOW_MS * ChaosStack.WINDOW_MS;
            Duration restartBound = Duration.ofSeconds(90);
            Duration alertBound = Duration.ofSeconds(60);

            chaos.killAndAwaitRecovery(LocalStack.INFLUXDB, restartBound, alertBound);

            String alertmanager = LocalStack.url(chaos.stack().state(), LocalStack.ALERTMANAGER);
            Instant killed = Instant.now();
            chaos.killAndAwaitRecovery(LocalStack.ALERTING, restartBound, alertBound);
            assertThat(watchdogUpdatedAt(alertmanager)).as("the Watchdog, posted again by the restarted service")
                    .isAfter(killed);

            chaos.killAndAwaitRecovery(LocalStack.KAFKA, restartBound, alertBound);

            chaos.assertExactCounts(from);
            chaos.assertCollectorLostNothing();
            chaos.assertNoChipOrNodePage();
            chaos.awaitTelemetryAlertsResolved(Duration.ofSeconds(60));
            Map<String, List<String>> alerts = chaos.telemetryAlerts();
            List<String> named = List.of(LocalStack.INFLUXDB, LocalStack.ALERTING, LocalStack.KAFKA);
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
