package io.chipwatch.collector.bench;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.concurrent.TimeUnit;

/**
 * One tick (one second of samples at 1 Hz) of a 100,000-chip cluster on one thread: generating the samples, and
 * generating plus encoding them to the Kafka wire format. Goal: under 0.25 s of one core for generate + encode.
 *
 * <p>Run (from the repository root, after {@code mvn -o -q -pl collector test-compile}):
 * <pre>
 * mvn -o -q -pl collector dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp collector/target/test-classes:collector/target/classes:$(cat collector/target/test.classpath) \
 *     io.chipwatch.collector.bench.TickBenchmark
 * </pre>
 * Reports sample-time percentiles per tick (p0.50 is the median).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class TickBenchmark {

    @Param({"100000"})
    public int chips;

    private ClusterSimulator simulator;
    private ChipSampleCodec codec;

    @Setup(Level.Trial)
    public void setUp() {
        simulator = new ClusterSimulator(SimulationConfig.builder().chips(chips).seed(1).build());
        codec = new ChipSampleCodec();
    }

    /** Generate one tick: every chip's sample with its eight links. */
    @Benchmark
    public void generate(Blackhole bh) {
        simulator.tick(bh::consume);
    }

    /** Generate one tick and encode every sample to its Kafka value (envelope + Avro binary). */
    @Benchmark
    public void generateAndEncode(Blackhole bh) {
        ChipSampleCodec c = codec;
        simulator.tick(s -> bh.consume(c.encode(s)));
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(TickBenchmark.class.getName() + "\\.")
                .build();
        new Runner(options).run();
    }
}
