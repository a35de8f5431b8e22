package io.chipwatch.cli.bench;

import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import io.chipwatch.cli.output.Report;
import io.chipwatch.infra.ChipwatchHome;
import io.chipwatch.cli.bench.BenchReport.Pipeline;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.cli.stack.UpOptions;
import io.chipwatch.collector.cli.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: measures the whole local stack on this machine (CONTRACTS.md §4): a fresh stack under
 * {@code var/bench} (its own ports when the usual ones are taken, so a running stack is left alone), warmed up,
 * then CPU-seconds and peak memory per component, values ingested, freshness, lag and dead letters over a window;
 * with {@code --peer prometheus} a real Prometheus on the same simulated cluster afterwards; with
 * {@code --outage D} both jobs stopped for D after the window and the time they take to catch up; with
 * {@code --find-max} the same at growing chip counts until the stack falls behind. Progress on standard error, the
 * table (or {@code --json}) on standard output. The bench stack is taken down (and {@code var/bench} deleted) at
 * the end unless {@code --keep}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the stack's CPU, memory, freshness and lag at a chip count (and Prometheus's beside it).")
public final class BenchCommand implements Callable<Integer> {
    static final int MAX_CHIPS = 200_000;

    @Option(names = "--chips", defaultValue = "10000", description = "Simulated chips (default ${DEFAULT-VALUE}); "
            + "with --find-max, the first step.")
    int chips;

    @Option(names = "--duration", defaultValue = "3m", converter = DurationConverter.class,
            description = "Measured window after the warm-up (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "60s", converter = DurationConverter.class,
            description = "Warm-up after all chips reach InfluxDB, not measured (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--peer", paramLabel = "prometheus",
            description = "Also measure a peer on the same cluster, after the pipeline: prometheus (Debian's).")
    String peer;

    @Option(names = "--find-max", description = "Step the chip count up (x1.5 a step) from --chips until the stack "
            + "stops keeping up; report the largest that kept up.")
    boolean findMax;

    @Option(names = "--outage", paramLabel = "D", converter = DurationConverter.class,
            description = "After the measured window, stop both jobs for D (a backlog builds up), restart them and "
                    + "time how long they take to be back to real time.")
    Duration outage;

    @Option(names = "--catch-up-limit", defaultValue = "5m", converter = DurationConverter.class,
            description = "With --outage: how long to wait for the jobs to catch up (default ${DEFAULT-VALUE}).")
    Duration catchUpLimit;

    @Option(names = "--seed", defaultValue = "1", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    OutputOption output;

    @Option(names = "--keep", description = "Leave the bench stack running under var/bench.")
    boolean keep;

    /** What is wrong with the options, or null. */
    String invalidOptions() {
        if (chips < 8 || chips % 8 != 0 || chips > MAX_CHIPS) {
            return "--chips must be a multiple of 8 (whole 8-chip nodes) from 8 to " + MAX_CHIPS + ", got " + chips;
        }
        if (duration.toSeconds() < 20) {
            return "--duration must be at least 20s (two 10-second windows), got " + duration.toSeconds() + "s";
        }
        if (warmup.isNegative()) {
            return "--warmup must not be negative";
        }
        if (peer != null && !peer.equals("prometheus")) {
            return "--peer: the only peer is prometheus, got " + peer;
        }
        if (outage != null && (outage.toSeconds() < 10 || findMax)) {
            return "--outage must be at least 10s, and cannot be combined with --find-max";
        }
        if (peer != null && findMax) {
            return "--peer and --find-max cannot be combined: measure the peer at one chip count";
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        OutputFormat format = output.format();
        String problem = invalidOptions();
        if (problem != null) {
            System.err.println(problem);
            return 2;
        }
        Path root = ChipwatchHome.root();
        PrintStream progress = System.err;
        LocalStack stack = new LocalStack(new StackLayout(root, root.resolve("var").resolve("bench")), progress);
        BenchReport report;
        try {
            report = findMax ? findMax(stack, progress) : single(stack, progress);
        } finally {
            if (!keep) {
                progress.println("bench: taking the bench stack down");
                stack.down(true);
            }
        }
        Report.builder().text(BenchTable.render(report)).csv(BenchTable.csv(report.pipeline())).json(report).build()
                .print(format, new PrintWriter(System.out, false, StandardCharsets.UTF_8));
        return 0;
    }

    private BenchReport single(LocalStack stack, PrintStream progress) throws Exception {
        Pipeline pipeline = new PipelinePhase(stack, seed, progress).run(chips, warmup, duration);
        progress.print(BenchTable.pipeline(pipeline));
        BenchReport.CatchUp catchUp = null;
        if (outage != null) {
            Map<String, Long> before = new LinkedHashMap<>();
            pipeline.lag().forEach((job, lag) -> before.put(job, lag.endRecords()));
            catchUp = new OutagePhase(stack, progress).run(stack.state(), new UpOptions(chips, seed), before, chips,
                    outage, catchUpLimit);
        }
        if (peer == null) {
            return new BenchReport(commit(), machine(), pipeline, null, null, catchUp, null, null);
        }
        BenchReport.Peer p = new PeerPhase(stack, progress).run(stack.state(), Duration.ofSeconds(1), warmup, duration);
        double ratio = PipelinePhase.round(pipeline.cpuSecondsPerMillionValues() / p.cpuSecondsPerMillionSamples());
        return new BenchReport(commit(), machine(), pipeline, p, ratio, catchUp, null, null);
    }

    private BenchReport findMax(LocalStack stack, PrintStream progress) throws Exception {
        List<Pipeline> steps = new ArrayList<>();
        Integer best = null;
        for (int n = chips; n <= MAX_CHIPS; n = nextStep(n)) {
            Pipeline step = new PipelinePhase(stack, seed, progress).run(n, warmup, duration);
            progress.print(BenchTable.pipeline(step));
            steps.add(step);
            if (!step.keepingUp()) {
                break;
            }
            best = n;
        }
        Pipeline last = steps.get(steps.size() - 1);
        return new BenchReport(commit(), machine(), last, null, null, null, steps, best);
    }

    /** x1.5, rounded up to whole 8-chip nodes. */
    static int nextStep(int chips) {
        int next = (int) Math.ceil(chips * 1.5 / 8) * 8;
        return next;
    }

    private static String commit() {
        try {
            String head = run("git", "rev-parse", "--short", "HEAD");
            String dirty = run("git", "status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : "+dirty");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String machine() {
        long memKb = 0;
        String os = System.getProperty("os.name");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    os = line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // what is missing stays out of the description
        }
        return String.format("%d cores, %.0f GiB, %s, Java %s", Runtime.getRuntime().availableProcessors(),
                memKb / 1024.0 / 1024.0, os, System.getProperty("java.version"));
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(ChipwatchHome.root().toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        try {
            return p.waitFor() == 0 ? out : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
