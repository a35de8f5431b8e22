package io.chipwatch.collector.cli;

import io.chipwatch.collector.output.FaultEventJson;
import io.chipwatch.collector.output.JsonLinesWriter;
import io.chipwatch.collector.scenario.Scenario;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code simulate}: runs the cluster simulator in simulated time, as fast as it goes, and writes every sample as
 * a JSON line to standard output (CONTRACTS.md §4). No Kafka involved. The output depends only on the options and
 * the scenario file, so the same command line prints the same bytes every time.
 *
 * <p>With {@code --scenario FILE} the scenario's faults and job events are played, and its cluster settings and
 * duration apply unless the command line gives them explicitly. {@code --truth FILE} writes each fault's onset
 * and end as JSON lines ({@link FaultEventJson}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Write simulated chip samples as JSON lines to standard output (no Kafka).")
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "Simulated time to cover: 500ms, 10s, 2m, 1h (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--start-ms", defaultValue = "" + SimulationConfig.DEFAULT_START_MILLIS,
            description = "Timestamp of the first sample, epoch ms (default: ${DEFAULT-VALUE}, 2026-01-01T00:00:00Z).")
    long startMillis;



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
        Scenario sc = cluster.loadScenario();
        Duration runFor = duration;
        if (sc != null && !cluster.explicit("--duration")) {
            runFor = Duration.ofMillis(sc.durationMillis());
        }
        if (runFor.isNegative() || runFor.isZero()) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive, got " + runFor);
        }
        SimulationConfig config;
        ClusterSimulator simulator;
        try {
            SimulationConfig.Builder b = cluster.builder(sc);
            config = b.startMillis(startMillis).build();
            simulator = new ClusterSimulator(config);
            if (sc != null) {
                sc.applyTo(simulator, config.startMillis());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        long interval = config.sampleIntervalMillis();
        // Samples with timestamps in [start, start + duration): 10s at 1 Hz is 10 ticks, 500ms is one.
        long ticks = (runFor.toMillis() + interval - 1) / interval;

        BufferedWriter truthOut = truth == null ? null : Files.newBufferedWriter(truth, StandardCharsets.UTF_8);
        try {
            if (truthOut != null) {
                simulator.faultListener(e -> {
                    try {
                        truthOut.write(FaultEventJson.toJson(e));
                        truthOut.write('\n');
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
            OutputStream target = out != null ? out : System.out;
            OutputStream buffered = new BufferedOutputStream(new NonClosing(target), 1 << 16);
            try (JsonLinesWriter writer = new JsonLinesWriter(buffered)) {
                for (long t = 0; t < ticks; t++) {
                    simulator.tick(writer);
                    // PrintStream hides write errors: stop when the reader went away (simulate | head) instead of
                    // simulating the rest for nobody. The reader chose to stop: not an error (exit 0, as Unix tools).
                    if (target instanceof PrintStream ps && ps.checkError()) {
                        return 0;
                    }
                }
                // Samples still in flight (late or repeated, docs/SIMULATOR.md) arrive after the last tick.
                simulator.drain(writer);
            }
            buffered.flush();
        } catch (IOException | UncheckedIOException e) {
            if (BrokenPipe.is(e)) {
                return 0;
            }
            throw e;
        } finally {
            if (truthOut != null) {
                truthOut.close();
            }
        }
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
