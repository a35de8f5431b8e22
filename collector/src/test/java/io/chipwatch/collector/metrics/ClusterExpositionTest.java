package io.chipwatch.collector.metrics;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.FaultRequest;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.fault.FaultType;
import io.chipwatch.model.sample.ChipSample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterExpositionTest {

    @Test
    void seriesMatchTheLatestSamplesAndSilentChipsOrMissingLinksHaveNone() throws Exception {
        SimulationConfig config = SimulationConfig.builder().chips(80).seed(2).build();
        ClusterSimulator sim = new ClusterSimulator(config);
        ClusterExposition exposition = new ClusterExposition(sim);
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        assertThat(exposition.writeTo(empty)).as("nothing before the first tick").isZero();
        sim.schedule(new FaultRequest(FaultType.NODE_DOWN, "p00-r00-n03", config.startMillis(), 0));
        List<ChipSample> tick = sim.tick();
        Map<String, ChipSample> byChip = tick.stream().collect(Collectors.toMap(ChipSample::chip, Function.identity()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exposition.writeTo(out);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("DCGM_FI_DEV_GPU_UTIL{"))).hasSize(72);
        assertThat(lines.stream().filter(l -> l.startsWith("chipwatch_link_latency_microseconds{"))).hasSize(72 * 8);
        assertThat(lines).noneMatch(l -> l.contains("p00-r00-n03-c"));
        for (String l : lines) {
            if (l.startsWith("#")) {
                continue;
            }
            String chip = l.replaceAll(".*chip=\"([^\"]+)\".*", "$1");
            double value = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            ChipSample s = byChip.get(chip);
            if (l.startsWith("DCGM_FI_DEV_GPU_UTIL")) {
                assertThat(value).isEqualTo(s.util());
            } else if (l.startsWith("DCGM_FI_DEV_GPU_TEMP")) {
                assertThat(value).isEqualTo(s.tempC());
            } else if (l.startsWith("DCGM_FI_DEV_POWER_USAGE")) {
                assertThat(value).isEqualTo(s.powerW());
            } else {
                String link = l.replaceAll(".*link=\"([^\"]+)\".*", "$1");
                assertThat(value).isEqualTo(s.links().stream().filter(x -> x.link().equals(link)).findFirst()
                        .orElseThrow().latencyUs());
            }
        }
    }

    @Test
    void escapesLabelValues() {
        assertThat(ClusterExposition.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(ClusterExposition.escape("plain")).isEqualTo("plain");
    }
}
