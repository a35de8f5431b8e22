package io.chipwatch.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eval --json} end to end: the collector's simulator plays a small scenario into a temporary Kafka broker,
 * the real DetectionJob (stream-jobs' build output) runs over it on a MiniCluster in its own JVM, and the score
 * comes out in the CONTRACTS.md §4 JSON: every fault type found, none of the glitch raising anything, no false
 * positive, at 0.5 Hz, 1 Hz and 10 Hz ({@code --interval}: the detectors count evidence in samples of the chip's own
 * interval and time constants in seconds, issue #19).
 */
class EvalCommandIT {

    @ParameterizedTest(name = "sampled every {0}")
    @ValueSource(strings = {"2s", "1s", "100ms"})
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void scoresASmallScenarioThroughTheRealPipelineAtEveryRate(String interval) throws Exception {
        Path scenario = Path.of(getClass().getResource("/eval/small-every-fault.yaml").toURI());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new EvalCommand()).execute("--scenario", scenario.toString(), "--interval",
                    interval, "--json");
        } finally {
            System.setOut(saved);
        }
        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8));

        long intervalMs = Map.of("2s", 2000L, "1s", 1000L, "100ms", 100L).get(interval);
        assertThat(json.get("sampleIntervalMs").asLong()).isEqualTo(intervalMs);
        // Evidence is counted in samples: a verdict may take a few more samples at 0.5 Hz (e.g. a link's
        // bad run), never more than 6; at 1 Hz and faster, 5 s at most.
        double latencyBoundS = Math.max(5.0, 6 * intervalMs / 1000.0);
        JsonNode types = json.get("faultTypes");
        for (String type : new String[]{"overheat", "rack_cooling", "power_throttle", "link_degraded", "link_flap",
                "straggler", "chip_down", "node_down", "stuck_sensor"}) {
            JsonNode t = types.get(type);
            assertThat(t).as(type).isNotNull();
            assertThat(t.get("injected").asInt()).as(type).isEqualTo(1);
            assertThat(t.get("detected").asInt()).as(type + " detected").isEqualTo(1);
            assertThat(t.get("recall").asDouble()).as(type).isEqualTo(1.0);
            assertThat(t.get("latencyP95S").asDouble()).as(type + " latency").isLessThanOrEqualTo(latencyBoundS);
        }
        assertThat(types.get("sensor_glitch").get("alerted").asInt()).isZero();
        assertThat(json.get("falsePositives").asInt()).as(json.get("unmatchedAnomalies").toString()).isZero();
        assertThat(json.get("chips").asInt()).isEqualTo(480);
        // Every chip sampled over 240 s, but for the silent ones (a node of 8 and a chip, 60 s each).
        long perChip = 240_000 / intervalMs;
        assertThat(json.get("samples").asLong()).isBetween(480L * perChip - 600_000 / intervalMs, 480L * perChip);
        if (intervalMs == 100) {
            // At 10 Hz silence is known in a few hundred milliseconds (3 missed samples, at least 300 ms).
            for (String type : new String[]{"chip_down", "node_down"}) {
                assertThat(types.get(type).get("latencyP95S").asDouble()).as(type + " at 10 Hz")
                        .isLessThanOrEqualTo(1.0);
            }
        }
    }
}
