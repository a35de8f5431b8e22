package io.chipwatch.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.cli.bench.BenchReport.Lag;
import io.chipwatch.cli.bench.BenchReport.Peer;
import io.chipwatch.cli.bench.BenchReport.Pipeline;
import io.chipwatch.cli.bench.BenchReport.Usage;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench}'s options, its JSON and its table. */
class BenchCommandTest {

    private static BenchCommand parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void defaultsAreTenThousandChipsThreeMinutesAfterAMinute() {
        BenchCommand c = parse();
        assertThat(c.chips).isEqualTo(10_000);
        assertThat(c.duration.toMinutes()).isEqualTo(3);
        assertThat(c.warmup.toSeconds()).isEqualTo(60);
        assertThat(c.invalidOptions()).isNull();
    }

    @Test
    void badOptionsNameTheOptionAndTheFix() {
        assertThat(parse("--chips", "12").invalidOptions()).startsWith("--chips must be a multiple of 8");
        assertThat(parse("--duration", "5s").invalidOptions()).startsWith("--duration must be at least 20s");
        assertThat(parse("--peer", "victoria").invalidOptions()).contains("the only peer is prometheus");
        assertThat(parse("--peer", "prometheus", "--find-max").invalidOptions()).contains("cannot be combined");
        assertThat(parse("--peer", "prometheus", "--chips", "800", "--duration", "1m").invalidOptions()).isNull();
        assertThat(parse("--outage", "5s").invalidOptions()).startsWith("--outage must be at least 10s");
        assertThat(parse("--outage", "5m").invalidOptions()).isNull();
    }

    @Test
    void findMaxStepsByHalfAgainInWholeNodes() {
        assertThat(BenchCommand.nextStep(10_000)).isEqualTo(15_000);
        assertThat(BenchCommand.nextStep(15_000)).isEqualTo(22_504);
        assertThat(BenchCommand.nextStep(22_504) % 8).isZero();
    }

    private static BenchReport report() {
        Map<String, Usage> components = new LinkedHashMap<>();
        components.put("influxdb", new Usage(30.0, 900, 1.5));
        components.put("flink", new Usage(20.0, 1100, 1.0));
        Pipeline pipeline = new Pipeline(10_000, 60, 180, 19_800_000, 110_000, 50.0, 2.525,
                components, new Usage(5.0, 400, 0.25), 9.5, 14.2, 18, true,
                Map.of("detection", new Lag(20_000, 18_000, 2.0, 1.8, false)), 0);
        Peer peer = new Peer("prometheus 2.42.0", 1.0, 19_790_000, 118.7, 1500, 6.0, new Usage(20.0, 400, 1.0));
        BenchReport.CatchUp catchUp = new BenchReport.CatchUp(300, 12.5, 300,
                Map.of("flink", new BenchReport.CatchUp.Job(3_000_000, 300, 95.0)), true);
        return new BenchReport("abc1234", "2 cores", pipeline, peer, 0.42, catchUp, null, null);
    }

    @Test
    void jsonHasTheFiguresAtTheTopLevelAndThePeerBelow() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(report()));
        assertThat(json.get("chips").asInt()).isEqualTo(10_000);
        assertThat(json.get("values").asLong()).isEqualTo(19_800_000);
        assertThat(json.get("cpuSecondsPerMillionValues").asDouble()).isEqualTo(2.525);
        assertThat(json.get("components").get("influxdb").get("cpuSeconds").asDouble()).isEqualTo(30.0);
        assertThat(json.get("components").get("influxdb").get("peakRssMb").asInt()).isEqualTo(900);
        assertThat(json.get("freshnessP50S").asDouble()).isEqualTo(9.5);
        assertThat(json.get("freshnessP99S").asDouble()).isEqualTo(14.2);
        assertThat(json.get("keepingUp").asBoolean()).isTrue();
        assertThat(json.get("peer").get("cpuSecondsPerMillionSamples").asDouble()).isEqualTo(6.0);
        assertThat(json.get("ratio").asDouble()).isEqualTo(0.42);
        assertThat(json.has("pipeline")).as("unwrapped").isFalse();
        assertThat(json.has("steps")).as("only with --find-max").isFalse();
        assertThat(json.get("catchUp").get("jobs").get("flink").get("catchUpS").asDouble()).isEqualTo(95.0);
    }

    @Test
    void tablePrintsEachComponentTheTotalsAndTheRatio() {
        String table = BenchTable.render(report());
        assertThat(table).contains("10,000 chips, 110,000 values/s")
                .containsPattern("influxdb\\s+30\\.0\\s+1\\.50\\s+900")
                .containsPattern("pipeline total\\s+50\\.0\\s+2\\.53")
                .contains("p50 9.5 s, p99 14.2 s")
                .contains("keeping up: yes")
                .contains("measured after the pipeline, not beside it")
                .containsPattern("prometheus\\s+118\\.7\\s+6\\.00\\s+1500")
                .contains("Prometheus's per million samples): 0.42")
                .contains("both jobs stopped for 300 s, restarted in 12.5 s")
                .contains("backlog 3,000,000 records (300 s of samples), back to real time 95 s after the restart");
    }
}
