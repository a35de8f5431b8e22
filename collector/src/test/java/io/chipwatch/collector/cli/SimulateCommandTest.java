package io.chipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.collector.ScenarioFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
        Result first = run("--chips", "1000", "--duration", "10s", "--seed", "7", "--clean");
        Result second = run("--chips", "1000", "--duration", "10s", "--seed", "7", "--clean");
        assertThat(first.exitCode()).isZero();
        assertThat(first.lines()).hasSize(10_000);
        assertThat(first.out()[first.out().length - 1]).isEqualTo((byte) '\n');
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(first.lines()[0]).startsWith("{\"ts\":1767225600000,\"chip\":\"p00-r00-n00-c00\",")
                .contains("\"links\":[");
        assertThat(first.lines()[9_999]).startsWith("{\"ts\":1767225609000,");
    }

    @Test
    void byDefaultSamplesComeInArrivalOrderSomeLateTwiceOrNeverIdenticallyEveryTime() {
        Result first = run("--chips", "1000", "--duration", "10s", "--seed", "7");
        assertThat(run("--chips", "1000", "--duration", "10s", "--seed", "7").out()).isEqualTo(first.out());
        // 1 % late, 0.1 % twice, 0.02 % never (docs/SIMULATOR.md): about 10,000 + 10 - 2 lines.
        assertThat(first.lines().length).isBetween(9_990, 10_040);
        long behind = 0;
        long previous = 0;
        Map<String, Integer> seen = new HashMap<>();
        for (String line : first.lines()) {
            long ts = Long.parseLong(line.substring(6, line.indexOf(',')));
            if (ts < previous - 500) {
                behind++;
            }
            previous = Math.max(previous, ts);
            seen.merge(line.substring(0, line.indexOf(",\"node\"")), 1, Integer::sum);
        }
        assertThat(behind).as("late samples after later timestamps").isBetween(20L, 200L);
        assertThat(seen.values().stream().filter(n -> n == 2).count()).as("samples delivered twice").isBetween(1L, 40L);
        // Whole degrees and whole percent, as an exporter reports them.
        assertThat(first.lines()[0]).containsPattern("\"util\":[0-9]+\\.0,").containsPattern("\"tempC\":[0-9]+\\.0,");
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
        Result r = run("--chips", "8", "--duration", "500ms", "--interval-ms", "100", "--start-ms", "1000", "--clean");
        assertThat(r.exitCode()).isZero();
        assertThat(r.lines()).hasSize(40);
        assertThat(r.lines()[0]).startsWith("{\"ts\":1000,");
        assertThat(r.lines()[39]).startsWith("{\"ts\":1400,");
        assertThat(run("--chips", "8", "--duration", "2m", "--clean").lines()).hasSize(8 * 120);
    }

    @Test
    void aMissingScenarioFileIsAUsageError(@TempDir Path dir) {
        Result r = run("--chips", "8", "--scenario", dir.resolve("s.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("s.yaml does not exist");
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

    private record Digest(int exitCode, long lines, String sha256) {
    }

    /** Runs simulate keeping only a digest of its output: long runs would not fit the test JVM's heap twice. */
    private static Digest digest(String... args) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long[] lines = new long[1];
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sha.update(b, off, len);
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        lines[0]++;
                    }
                }
            }
        };
        int code = new CommandLine(new SimulateCommand(out)).execute(args);
        return new Digest(code, lines[0], HexFormat.of().formatHex(sha.digest()));
    }

    private static Path scenario(String name) {
        return ScenarioFiles.of(name);
    }

    @Test
    void aScenarioGivesByteIdenticalSamplesAndTruthOnEveryRun(@TempDir Path dir) throws Exception {
        String file = scenario("all-faults.yaml").toString();
        Path truth1 = dir.resolve("t1.jsonl");
        Path truth2 = dir.resolve("t2.jsonl");
        Digest first = digest("--chips", "400", "--duration", "5m10s", "--seed", "7", "--scenario", file, "--truth", truth1.toString());
        Digest second = digest("--chips", "400", "--duration", "5m10s", "--seed", "7", "--scenario", file, "--truth", truth2.toString());
        assertThat(first.exitCode()).isZero();
        assertThat(second).isEqualTo(first);
        assertThat(Files.readAllBytes(truth2)).isEqualTo(Files.readAllBytes(truth1));
        List<String> truth = Files.readAllLines(truth1);
        // Every fault starting within 6 minutes has its onset; those ending within them their end, too.
        assertThat(truth.stream().filter(l -> l.contains("\"phase\":\"onset\"")).count()).isEqualTo(10);
        assertThat(truth).allMatch(l -> l.matches("\\{\"id\":\"f-\\d{4}\",\"type\":\"[a-z_]+\",\"target\":\"[^\"]+\","
                + "\"targetScope\":\"(chip|node|rack|link)\",\"onsetMillis\":\\d+,\"endMillis\":(\\d+|null),"
                + "\"phase\":\"(onset|end)\"}"));
        // Silent chips (chip_down, node_down) write nothing: fewer lines than chips x seconds.
        assertThat(first.lines()).isLessThan(400 * 310).isGreaterThan(400 * 310 - 1500);
        // A different seed moves the random targets.
        Path truth3 = dir.resolve("t3.jsonl");
        digest("--chips", "400", "--duration", "5m10s", "--seed", "8", "--scenario", file, "--truth", truth3.toString());
        assertThat(Files.readAllLines(truth3)).isNotEqualTo(truth);
    }

    @Test
    void theScenariosClusterAndDurationApplyUnlessTheCommandLineGivesThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.yaml");
        Files.writeString(file, "cluster: {chips: 16, interval: 500ms}\nduration: 3s\n");
        assertThat(run("--scenario", file.toString()).lines()).hasSize(16 * 6);
        assertThat(run("--scenario", file.toString(), "--chips", "8", "--duration", "1s").lines()).hasSize(8 * 2);
        Files.writeString(file, "duration: 3s\nfaults: [{type: overheat, target: p09-r00-n00-c00, at: 1s}]\n");
        Result bad = run("--chips", "8", "--scenario", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("faults[0].target").contains("no chip 'p09-r00-n00-c00'");
    }

    @Test
    void shardsSplitTheClusterIntoDisjointSlicesOfWholeRacks() {
        Result all = run("--chips", "400", "--duration", "2s", "--seed", "3");
        Result s0 = run("--chips", "400", "--duration", "2s", "--seed", "3", "--shard", "0/3");
        Result s1 = run("--chips", "400", "--duration", "2s", "--seed", "3", "--shard", "1/3");
        Result s2 = run("--chips", "400", "--duration", "2s", "--seed", "3", "--shard", "2/3");
        List<String> union = new ArrayList<>();
        for (Result r : List.of(s0, s1, s2)) {
            assertThat(r.exitCode()).isZero();
            assertThat(r.lines().length).isGreaterThan(0);
            union.addAll(Arrays.asList(r.lines()));
        }
        assertThat(union).containsExactlyInAnyOrder(all.lines());
        // 5 racks of 80 chips over 3 shards: whole racks each, so a node's mesh (and a rack) stays in one shard.
        assertThat(Arrays.stream(s0.lines()).map(l -> l.replaceAll(".*\"rack\":\"([^\"]+)\".*", "$1")).distinct()
                .count()).isEqualTo(1);
        assertThat(run("--shard", "2/2").exitCode()).isEqualTo(2);
    }

    /** An output whose reader goes away after {@code limit} bytes, as {@code head} does: "Broken pipe" from then on. */
    private static final class ClosedAfter extends OutputStream {
        private final int limit;
        int written;
        int refused;

        ClosedAfter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > limit) {
                refused++;
                throw new IOException("Broken pipe");
            }
            written += len;
        }
    }

    @Test
    void aReaderThatGoesAwayEndsTheRunQuietlyWithExitCodeZero() {
        // Standard output is a PrintStream, which hides the error: the command sees it with checkError().
        ClosedAfter stdout = new ClosedAfter(100_000);
        StringWriter err = new StringWriter();
        CommandLine viaPrintStream = new CommandLine(new SimulateCommand(new PrintStream(stdout, false,
                StandardCharsets.UTF_8)));
        viaPrintStream.setErr(new PrintWriter(err, true));
        assertThat(viaPrintStream.execute("--chips", "1000", "--duration", "600s")).isZero();
        assertThat(err.toString()).isEmpty();
        // It stopped within the tick of the first refused write (a tick is a few 64 KiB writes) instead of
        // simulating ten minutes (hundreds of MB, thousands of writes) for nobody.
        assertThat(stdout.refused).isBetween(1, 20);

        // Any other stream throws: the same quiet end.
        ClosedAfter raw = new ClosedAfter(100_000);
        StringWriter rawErr = new StringWriter();
        CommandLine direct = new CommandLine(new SimulateCommand(raw));
        direct.setErr(new PrintWriter(rawErr, true));
        assertThat(direct.execute("--chips", "1000", "--duration", "600s")).isZero();
        assertThat(rawErr.toString()).isEmpty();
        assertThat(raw.refused).isBetween(1, 2);
    }
}
