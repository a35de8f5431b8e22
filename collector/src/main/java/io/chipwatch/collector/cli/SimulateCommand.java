package io.chipwatch.collector.cli;

import io.chipwatch.collector.output.JsonLinesWriter;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code simulate}: runs the cluster simulator in simulated time, as fast as it goes, and writes every sample as
 * a JSON line to standard output (GUIDE.md §4). No Kafka involved. The output depends only on the options, so
 * the same command line prints the same bytes every time.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Write simulated chip samples as JSON lines to standard output (no Kafka).")
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--chips", defaultValue = "" + SimulationConfig.DEFAULT_CHIPS,
            description = "Number of chips, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    int chips;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "Simulated time to cover: 500ms, 10s, 2m, 1h (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", defaultValue = "" + SimulationConfig.DEFAULT_SEED,
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start-ms", defaultValue = "" + SimulationConfig.DEFAULT_START_MILLIS,
            description = "Timestamp of the first sample, epoch ms (default: ${DEFAULT-VALUE}, 2026-01-01T00:00:00Z).")
    long startMillis;

    @Option(names = "--interval-ms", defaultValue = "" + SimulationConfig.DEFAULT_SAMPLE_INTERVAL_MILLIS,
            description = "Sampling interval per chip, ms (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Fault scenario to play (not supported yet).")
    Path scenario;

    @Option(names = "--truth", paramLabel = "FILE", description = "Write the injected fault events here as JSON lines.")
    Path truth;

    private final OutputStream out;

    /** Writes to {@code System.out}. */
    public SimulateCommand() {
        this(null);
    }

    /** Writes to {@code out} instead of standard output (tests, embedding); the stream is flushed, not closed. */
    public SimulateCommand(OutputStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        if (scenario != null) {
            throw new ParameterException(spec.commandLine(), "--scenario " + scenario
                    + ": fault scenarios are not supported yet by this version of simulate; run it without --scenario");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive, got " + duration);
        }
        SimulationConfig config;
        try {
            config = SimulationConfig.builder().chips(chips).seed(seed).startMillis(startMillis)
                    .sampleIntervalMillis(intervalMillis).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (truth != null) {
            // No faults without scenarios: the ground truth is empty, but the file exists for tools that read it.
            Files.write(truth, new byte[0]);
        }
        // Samples with timestamps in [start, start + duration): 10s at 1 Hz is 10 ticks, 500ms is one.
        long ticks = (duration.toMillis() + intervalMillis - 1) / intervalMillis;

        OutputStream target = out != null ? out : System.out;
        ClusterSimulator simulator = new ClusterSimulator(config);
        OutputStream buffered = new BufferedOutputStream(new NonClosing(target), 1 << 16);
        try (JsonLinesWriter writer = new JsonLinesWriter(buffered)) {
            for (long t = 0; t < ticks; t++) {
                simulator.tick(writer);
                // PrintStream hides write errors: stop when the reader went away (simulate | head) instead of
                // simulating the rest for nobody.
                if (target instanceof PrintStream ps && ps.checkError()) {
                    return 1;
                }
            }
        }
        buffered.flush();
        return 0;
    }

    /** Lets the writer chain close without closing the caller's stream (standard output above all). */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
