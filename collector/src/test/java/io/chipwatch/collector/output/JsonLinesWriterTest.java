package io.chipwatch.collector.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesWriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String write(List<ChipSample> samples) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesWriter writer = new JsonLinesWriter(out)) {
            for (ChipSample s : samples) {
                writer.write(s);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheSimulateContractExactly() throws IOException {
        ChipSample idle = new ChipSample(1_767_225_600_000L, "p00-r00-n00-c00", "p00-r00-n00", "p00-r00", "p00", null,
                1.5, 38.25, 92.0, List.of(
                new LinkLatency("p00-r00-n00-c00~c01", "p00-r00-n00-c01", LinkKind.INTRA, 2.0),
                new LinkLatency("p00-r00-n00-c00~sw", "p00-r00-sw", LinkKind.FABRIC, 4.125)));
        ChipSample busy = new ChipSample(1_767_225_601_000L, "p00-r00-n00-c01", "p00-r00-n00", "p00-r00", "p00",
                "train-00001", 93.017, 77.9, 388.401, List.of());
        assertThat(write(List.of(idle, busy))).isEqualTo(
                "{\"ts\":1767225600000,\"chip\":\"p00-r00-n00-c00\",\"node\":\"p00-r00-n00\",\"rack\":\"p00-r00\","
                        + "\"pod\":\"p00\",\"job\":null,\"util\":1.5,\"tempC\":38.25,\"powerW\":92.0,\"links\":["
                        + "{\"link\":\"p00-r00-n00-c00~c01\",\"peer\":\"p00-r00-n00-c01\",\"kind\":\"intra\",\"latencyUs\":2.0},"
                        + "{\"link\":\"p00-r00-n00-c00~sw\",\"peer\":\"p00-r00-sw\",\"kind\":\"fabric\",\"latencyUs\":4.125}]}\n"
                        + "{\"ts\":1767225601000,\"chip\":\"p00-r00-n00-c01\",\"node\":\"p00-r00-n00\",\"rack\":\"p00-r00\","
                        + "\"pod\":\"p00\",\"job\":\"train-00001\",\"util\":93.017,\"tempC\":77.9,\"powerW\":388.401,"
                        + "\"links\":[]}\n");
    }

    @Test
    void simulatedSamplesParseBackWithTheContractsKeysInOrder() throws IOException {
        List<ChipSample> samples = new ClusterSimulator(SimulationConfig.builder().chips(160).seed(3).build()).tick();
        String text = write(samples);
        assertThat(text).endsWith("\n").doesNotContain("\n\n").doesNotStartWith(" ");
        String[] lines = text.split("\n");
        assertThat(lines).hasSize(samples.size());
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i]).startsWith("{\"ts\":").endsWith("]}").doesNotContain(" ");
            JsonNode node = MAPPER.readTree(lines[i]);
            assertThat(fieldNames(node)).containsExactly("ts", "chip", "node", "rack", "pod", "job", "util", "tempC",
                    "powerW", "links");
            ChipSample s = samples.get(i);
            assertThat(node.get("ts").isIntegralNumber()).isTrue();
            assertThat(node.get("ts").asLong()).isEqualTo(s.timestampMillis());
            assertThat(node.get("chip").asText()).isEqualTo(s.chip());
            assertThat(node.get("job").isNull() ? null : node.get("job").asText()).isEqualTo(s.job());
            assertThat(node.get("util").doubleValue()).isEqualTo(s.util());
            assertThat(node.get("tempC").doubleValue()).isEqualTo(s.tempC());
            assertThat(node.get("powerW").doubleValue()).isEqualTo(s.powerW());
            JsonNode links = node.get("links");
            assertThat(links.size()).isEqualTo(s.links().size());
            for (int j = 0; j < links.size(); j++) {
                JsonNode link = links.get(j);
                LinkLatency expected = s.links().get(j);
                assertThat(fieldNames(link)).containsExactly("link", "peer", "kind", "latencyUs");
                assertThat(link.get("link").asText()).isEqualTo(expected.link());
                assertThat(link.get("peer").asText()).isEqualTo(expected.peer());
                assertThat(link.get("kind").asText()).isEqualTo(expected.kind().label()).isIn("intra", "fabric");
                assertThat(link.get("latencyUs").doubleValue()).isEqualTo(expected.latencyUs());
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void closeLeavesTheStreamOpen() throws IOException {
        class Tracking extends ByteArrayOutputStream {
            boolean closed;

            @Override
            public void close() {
                closed = true;
            }
        }
        Tracking out = new Tracking();
        JsonLinesWriter writer = new JsonLinesWriter(out);
        writer.accept(new ChipSample(1, "c", "n", "r", "p", null, 0, 0, 0, List.of()));
        writer.close();
        assertThat(out.closed).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"ts\":1,\"chip\":\"c\",\"node\":\"n\",\"rack\":\"r\",\"pod\":\"p\",\"job\":null,"
                        + "\"util\":0.0,\"tempC\":0.0,\"powerW\":0.0,\"links\":[]}\n");
    }
}
