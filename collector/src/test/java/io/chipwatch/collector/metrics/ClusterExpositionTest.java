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
        assertThat(lines.stream().filter(l -> l.startsWith("chipwatch_link_latency_seconds{"))).hasSize(72 * 8);
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
                assertThat(l).endsWith("e-6");
                assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1, l.length() - 3)))
                        .as("microseconds, written as seconds").isEqualTo(s.links().stream()
                                .filter(x -> x.link().equals(link)).findFirst().orElseThrow().latencyUs());
            }
        }
    }

    @Test
    void speaksDcgmExportersDialectPerNodeAndListsTheNodesAsFileSdTargets() throws Exception {
        ClusterSimulator sim = new ClusterSimulator(SimulationConfig.builder().chips(24).seed(2).build());
        ClusterExposition exposition = new ClusterExposition(sim);
        List<ChipSample> tick = sim.tick();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(exposition.writeNode(out, "p00-r00-n01")).isPositive();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        ChipSample c3 = tick.stream().filter(s -> s.chip().equals("p00-r00-n01-c03")).findFirst().orElseThrow();
        assertThat(lines).contains("DCGM_FI_DEV_GPU_TEMP{chip=\"p00-r00-n01-c03\",node=\"p00-r00-n01\",rack=\"p00-r00\","
                + "pod=\"p00\",gpu=\"3\",UUID=\"" + ClusterExposition.uuid("p00-r00-n01-c03") + "\",Hostname=\"p00-r00-n01\","
                + "modelName=\"" + ClusterExposition.MODEL_NAME + "\",device=\"nvidia3\"} " + fmt(c3.tempC()));
        assertThat(lines).allMatch(l -> l.contains("node=\"p00-r00-n01\""));
        assertThat(lines.stream().filter(l -> l.startsWith("DCGM_FI_DEV_GPU_UTIL{"))).hasSize(8);
        assertThat(lines.stream().filter(l -> l.startsWith("chipwatch_link_latency_seconds{"))).hasSize(64)
                .as("link series keep the short label set").noneMatch(l -> l.contains("UUID="));
        assertThat(ClusterExposition.uuid("p00-r00-n01-c03")).matches("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                .isEqualTo(ClusterExposition.uuid("p00-r00-n01-c03")).isNotEqualTo(ClusterExposition.uuid("p00-r00-n01-c04"));
        assertThat(exposition.writeNode(new ByteArrayOutputStream(), "p09-r00-n00")).isEqualTo(-1);
        assertThat(exposition.nodes()).containsExactly("p00-r00-n00", "p00-r00-n01", "p00-r00-n02");
        assertThat(exposition.fileSd("sim:9400")).contains("{\"targets\": [\"sim:9400\"], \"labels\": {\"pod\": \"p00\", "
                + "\"rack\": \"p00-r00\", \"node\": \"p00-r00-n02\", \"__metrics_path__\": \"/metrics/node/p00-r00-n02\"}}");
    }

    private static String fmt(double v) {
        String s = String.valueOf(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    @Test
    void escapesLabelValues() {
        assertThat(ClusterExposition.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(ClusterExposition.escape("plain")).isEqualTo("plain");
    }
}
