package io.chipwatch.collector.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {

    private record Result(int exitCode, byte[] out, String err) {
        String[] lines() {
            return new String(out, StandardCharsets.UTF_8).split("\n");
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new SimulateCommand(out));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toByteArray(), err.toString());
    }

    @Test
    void printsOneLinePerChipPerSecondIdenticallyEveryTime() {
        Result first = run("--chips", "1000", "--duration", "10s", "--seed", "7");
        Result second = run("--chips", "1000", "--duration", "10s", "--seed", "7");
        assertThat(first.exitCode()).isZero();
        assertThat(first.lines()).hasSize(10_000);
        assertThat(first.out()[first.out().length - 1]).isEqualTo((byte) '\n');
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(first.lines()[0]).startsWith("{\"ts\":1767225600000,\"chip\":\"p00-r00-n00-c00\",")
                .contains("\"links\":[");
        assertThat(first.lines()[9_999]).startsWith("{\"ts\":1767225609000,");
    }

    @Test
    void aDifferentSeedGivesDifferentOutput() {
        Result a = run("--chips", "80", "--duration", "2s", "--seed", "1");
        Result b = run("--chips", "80", "--duration", "2s", "--seed", "2");
        assertThat(b.lines()).hasSize(160);
        assertThat(b.out()).isNotEqualTo(a.out());
    }

    @Test
    void durationAndStartAndIntervalShapeTheTimestamps() {
        Result r = run("--chips", "8", "--duration", "500ms", "--interval-ms", "100", "--start-ms", "1000");
        assertThat(r.exitCode()).isZero();
        assertThat(r.lines()).hasSize(40);
        assertThat(r.lines()[0]).startsWith("{\"ts\":1000,");
        assertThat(r.lines()[39]).startsWith("{\"ts\":1400,");
        assertThat(run("--chips", "8", "--duration", "2m").lines()).hasSize(8 * 120);
    }

    @Test
    void scenariosAreRefusedWithAClearMessage(@TempDir Path dir) {
        Result r = run("--chips", "8", "--scenario", dir.resolve("s.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("scenarios are not supported yet");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void truthFileIsWrittenEmpty(@TempDir Path dir) throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        Files.writeString(truth, "stale");
        Result r = run("--chips", "8", "--duration", "1s", "--truth", truth.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(truth).exists();
        assertThat(Files.size(truth)).isZero();
    }

    @Test
    void badArgumentsFailWithUsageErrors() {
        Result chips = run("--chips", "12");
        assertThat(chips.exitCode()).isEqualTo(2);
        assertThat(chips.err()).contains("multiple of the 8");
        Result duration = run("--duration", "ten seconds");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("not a duration");
        assertThat(Arrays.asList(run("--duration", "0s").exitCode(), run("--interval-ms", "0").exitCode()))
                .containsOnly(2);
    }
}
