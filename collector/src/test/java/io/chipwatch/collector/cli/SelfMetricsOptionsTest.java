package io.chipwatch.collector.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chipwatch.infra.metrics.SelfMetricsTarget;
import io.chipwatch.model.influx.InfluxCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelfMetricsOptionsTest {
    private static SelfMetricsOptions parse(String... args) {
        CollectorCommand command = new CollectorCommand();
        new CommandLine(command).parseArgs(args);
        return command.selfMetrics;
    }

    @Test
    void withoutAnInfluxUrlTheMetersStayOnMetricsOnly() {
        assertThat(parse("--bootstrap", "k:9092").target(Map.of())).isEmpty();
    }

    @Test
    void theTargetTakesTheWritersFileAndTheInterval(@TempDir Path dir) throws IOException {
        Path writer = dir.resolve("influxdb-writer");
        Files.writeString(writer, "chipwatch_writer:s3cret-enough\n");
        Optional<SelfMetricsTarget> t = parse("--bootstrap", "k:9092", "--influx-url", "http://127.0.0.1:8086",
                "--influx-db", "tele", "--influx-credentials-file", writer.toString(),
                "--self-metrics-interval", "5s").target(Map.of());
        assertThat(t).contains(new SelfMetricsTarget("http://127.0.0.1:8086", "tele",
                Optional.of(new InfluxCredentials("chipwatch_writer", "s3cret-enough")), Duration.ofSeconds(5)));
    }

    @Test
    void badValuesFailNamingTheOption(@TempDir Path dir) {
        assertThatThrownBy(() -> parse("--bootstrap", "k:9092", "--influx-url", "influxdb:8086").target(Map.of()))
                .hasMessageStartingWith("--influx-url/--influx-db/--self-metrics-interval: InfluxDB URL "
                        + "'influxdb:8086' must be http(s)://host:port");
        assertThatThrownBy(() -> parse("--bootstrap", "k:9092", "--influx-url", "http://i:8086",
                "--influx-credentials-file", dir.resolve("missing").toString()).target(Map.of()))
                .hasMessageStartingWith("--influx-credentials-file: cannot read the InfluxDB credentials file");
    }

    /** docker-compose.yml's collector service: its command and environment give the writer's target. */
    @Test
    @SuppressWarnings("unchecked")
    void composesCollectorWritesItsMetersAsTheWriter() throws IOException {
        Path compose = Path.of(System.getProperty("user.dir")).getParent().resolve("docker-compose.yml");
        Map<String, Object> file = new ObjectMapper(new YAMLFactory()).readValue(compose.toFile(), Map.class);
        Map<String, Object> collector = ((Map<String, Map<String, Object>>) file.get("services")).get("collector");
        Map<String, String> host = Map.of("CHIPWATCH_INFLUX_WRITER_PASSWORD", "writer-pw-from-host");
        List<String> command = ((List<Object>) collector.get("command")).stream()
                .map(c -> interpolate(c, host)).toList();
        Map<String, String> env = new HashMap<>();
        ((Map<String, Object>) collector.get("environment")).forEach((k, v) -> env.put(k, interpolate(v, host)));
        assertThat(env.get("REQUIRED_ENV")).contains("CHIPWATCH_INFLUX_PASSWORD");

        Optional<SelfMetricsTarget> t = parse(command.subList(3, command.size()).toArray(String[]::new)).target(env);

        assertThat(t).contains(new SelfMetricsTarget("http://influxdb:8086", "telemetry",
                Optional.of(new InfluxCredentials("chipwatch_writer", "writer-pw-from-host")),
                SelfMetricsTarget.DEFAULT_STEP));
        assertThat(command).noneMatch(a -> a.contains("pw-from-host"));
    }

    private static String interpolate(Object value, Map<String, String> host) {
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*))?}").matcher(String.valueOf(value));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = host.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group(2) != null ? m.group(2) : ""));
        }
        return m.appendTail(out).toString();
    }
}
