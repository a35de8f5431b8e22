package io.chipwatch.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eval --json} end to end: the collector's simulator plays a small scenario into a temporary Kafka broker,
 * the real DetectionJob (stream-jobs' build output) runs over it on a MiniCluster in its own JVM, and the score
 * comes out in the CONTRACTS.md §4 JSON: every fault type found, none of the glitch raising anything.
 */
class EvalCommandIT {

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void scoresASmallScenarioThroughTheRealPipeline() throws Exception {
        Path scenario = Path.of(getClass().getResource("/eval/small-every-fault.yaml").toURI());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new EvalCommand()).execute("--scenario", scenario.toString(), "--json");
        } finally {
            System.setOut(saved);
        }
        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8));

        JsonNode types = json.get("faultTypes");
        // stuck_sensor is scored but not required here: since the detector needs the chip's expected temperature
        // to move 3 °C while the reading stays (whole-degree readings of real sources), a sensor frozen on a chip
        // under steady load is not found until the load moves (docs/PERFORMANCE.md, issue #21).
        assertThat(types.get("stuck_sensor").get("injected").asInt()).isEqualTo(1);
        for (String type : new String[]{"overheat", "rack_cooling", "power_throttle", "link_degraded", "link_flap",
                "straggler", "chip_down", "node_down"}) {
            JsonNode t = types.get(type);
            assertThat(t).as(type).isNotNull();
            assertThat(t.get("injected").asInt()).as(type).isEqualTo(1);
            assertThat(t.get("detected").asInt()).as(type + " detected").isEqualTo(1);
            assertThat(t.get("recall").asDouble()).as(type).isEqualTo(1.0);
            assertThat(t.get("latencyP95S").asDouble()).as(type + " latency").isLessThanOrEqualTo(5.0);
        }
        assertThat(types.get("sensor_glitch").get("alerted").asInt()).isZero();
        assertThat(json.get("falsePositives").asInt()).as(json.get("unmatchedAnomalies").toString()).isZero();
        assertThat(json.get("chips").asInt()).isEqualTo(480);
        assertThat(json.get("samples").asLong()).isBetween(480L * 240 - 600, 480L * 240);
    }
}
