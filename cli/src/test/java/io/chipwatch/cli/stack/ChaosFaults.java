package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.cli.stack.WebhookRecorder.Paged;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real faults a chaos IT injects through the collector's {@code /faults} (as {@code ./telemetry fault} does),
 * and the check that the chip and node pages are exactly those faults: one firing page per fault naming its target
 * (then, at most, its resolved page), none twice, and nothing else (no chip or node paged for an outage itself).
 */
final class ChaosFaults {
    /** The alert each fault type the chaos ITs inject is paged as (alerting's {@code alert-rules.yaml}). */
    static final Map<String, String> ALERTS = Map.of("chip_down", "ChipDown", "overheat", "ChipOverheating");
    /** The chip and node alerts watched: those of the injected types, and NodeDown (a silent node). */
    static final Set<String> CHIP_AND_NODE_ALERTS = Set.of("ChipDown", "ChipOverheating", "NodeDown");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One injected fault.
     *
     * @param type        the fault type, e.g. {@code chip_down}
     * @param target      the chip the collector chose
     * @param onsetMillis its first affected sample (epoch ms)
     */
    record Injected(String type, String target, long onsetMillis) {
        /** The alert it must be paged as. */
        String alertname() {
            return ALERTS.get(type);
        }

        /** {@code alertname/entity}, as {@link #chipAndNodePages} keys pages. */
        String key() {
            return alertname() + "/" + target;
        }
    }

    private final Supplier<String> collectorUrl;
    private final List<Paged> pages;
    private final List<Injected> injected = new CopyOnWriteArrayList<>();

    /** @param collectorUrl the collector's current address (read at each call: a restart may record it again) */
    ChaosFaults(Supplier<String> collectorUrl, List<Paged> pages) {
        this.collectorUrl = collectorUrl;
        this.pages = pages;
    }

    /** Every fault injected so far, in order. */
    List<Injected> injected() {
        return List.copyOf(injected);
    }

    /**
     * Injects a fault of {@code type} (a key of {@link #ALERTS}) on {@code target} (an id or a selector such as
     * {@code random-busy-chip}) for {@code duration}, and returns it once the collector applies it. A collector that
     * answers 202 (its sampling loop did not reach a tick within its wait, on a loaded machine) is asked again
     * through {@code GET /faults} until the fault is active. Its target must differ from every earlier one's.
     */
    Injected inject(String type, String target, Duration duration) throws IOException, InterruptedException {
        assertThat(ALERTS).as("fault types the chaos ITs know the alert of").containsKey(type);
        Set<String> before = new HashSet<>();
        listFaults().forEach(f -> before.add(f.path("id").asText()));
        String body = JSON.writeValueAsString(Map.of("type", type, "target", target,
                "duration", duration.toSeconds() + "s"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(collectorUrl.get() + "/faults"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as("POST /faults: %s", r.body()).isBetween(200, 299);
        JsonNode started = JSON.readTree(r.body());
        if (r.statusCode() == 202) {
            JsonNode[] seen = new JsonNode[1];
            ChaosStack.await(type + " on " + target + " active", Duration.ofSeconds(30), () -> {
                seen[0] = listFaults().stream().filter(f -> !before.contains(f.path("id").asText())
                        && f.path("type").asText().equals(type) && f.path("state").asText().equals("active"))
                        .findFirst().orElse(null);
                return seen[0] != null;
            }, this::listFaults);
            started = seen[0];
        }
        Injected fault = new Injected(type, started.path("target").asText(), started.path("onsetMillis").asLong());
        assertThat(injected).as("the faults injected before: a fault must get a chip of its own")
                .noneMatch(f -> f.target().equals(fault.target()));
        injected.add(fault);
        return fault;
    }

    /** The chips a {@code chip_down} the collector still applies has silenced. */
    Set<String> downChips() {
        Set<String> down = new TreeSet<>();
        listFaults().stream().filter(f -> f.path("type").asText().equals("chip_down")
                && f.path("state").asText().equals("active")).forEach(f -> down.add(f.path("target").asText()));
        return down;
    }

    /** Waits until {@code fault} is paged firing. */
    void awaitPaged(Injected fault, Duration bound) throws InterruptedException {
        ChaosStack.await(fault.key() + " paged", bound, () -> statuses(fault.key()).contains("firing"),
                this::chipAndNodePages);
    }

    /** Every chip and node page so far, {@code alertname/entity} to its statuses in order (repeats kept). */
    Map<String, List<String>> chipAndNodePages() {
        Map<String, List<String>> paged = new LinkedHashMap<>();
        for (Paged p : pages) {
            if (CHIP_AND_NODE_ALERTS.contains(p.alertname())) {
                paged.computeIfAbsent(p.alertname() + "/" + p.entity(), k -> new ArrayList<>()).add(p.status());
            }
        }
        return paged;
    }

    private List<String> statuses(String key) {
        return chipAndNodePages().getOrDefault(key, List.of());
    }

    /**
     * Asserts that the chip and node pages are exactly the injected faults: each paged firing once, then at most
     * resolved once (a fault the collector's restart ended), none paged twice, and no other chip or node paged.
     */
    void assertPagesAreTheInjectedFaults() {
        Map<String, List<String>> paged = chipAndNodePages();
        System.out.println("chaos: injected " + injected + "; chip and node pages " + paged);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        injected.forEach(f -> expected.put(f.key(), paged.getOrDefault(f.key(), List.of())));
        String what = "chip and node pages " + paged + " against the injected faults " + injected + "; every page "
                + pages;
        assertThat(paged.keySet()).as("alerts paged: " + what).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, statuses) -> assertThat(statuses).as(key + " paged once: " + what)
                .isIn(List.of("firing"), List.of("firing", "resolved")));
    }

    private List<JsonNode> listFaults() {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(collectorUrl.get() + "/faults")).GET());
            assertThat(r.statusCode()).as("GET /faults: %s", r.body()).isEqualTo(200);
            List<JsonNode> faults = new ArrayList<>();
            JSON.readTree(r.body()).path("faults").forEach(faults::add);
            return faults;
        } catch (IOException e) {
            throw new AssertionError("GET /faults: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String token = Files.readString(LocalStack.collectorTokenFile()).trim();
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
