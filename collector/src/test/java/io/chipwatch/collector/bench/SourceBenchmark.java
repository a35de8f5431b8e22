package io.chipwatch.collector.bench;

import io.chipwatch.collector.metrics.ClusterExposition;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.collector.source.SourceReading;
import io.chipwatch.collector.source.prometheus.DcgmMapping;
import io.chipwatch.collector.source.prometheus.ExpositionException;
import io.chipwatch.collector.source.prometheus.ScrapeTarget;
import io.chipwatch.collector.source.prometheus.TextFormatParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real-source path's costs on one thread: parsing and mapping one node's dcgm-exporter body (8 GPUs, 40 series
 * each as dcgm-exporter's default counters give, with all its labels), what a 1,250-node fleet costs 1,250 times a
 * second at 1 Hz; and writing the simulator's whole {@code /metrics} of 10,000 chips in dcgm-exporter's dialect.
 * Run as {@link TickBenchmark} says, with this class's name.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class SourceBenchmark {
    private static final ScrapeTarget TARGET = ScrapeTarget.of("10.0.0.7:9400",
            Map.of("pod", "p00", "rack", "p00-r00", "node", "p00-r00-n00"));

    private String body;
    private ClusterExposition exposition;
    private final OutputStream sink = OutputStream.nullOutputStream();

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder b = new StringBuilder();
        String[] wanted = {"DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE"};
        for (int f = 0; f < 40; f++) {
            String name = f < 3 ? wanted[f] : "DCGM_FI_DEV_FIELD_" + f;
            b.append("# HELP ").append(name).append(" help.\n# TYPE ").append(name).append(" gauge\n");
            for (int gpu = 0; gpu < 8; gpu++) {
                b.append(name).append("{gpu=\"").append(gpu).append("\",UUID=\"GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e5")
                        .append(gpu).append("\",pci_bus_id=\"00000000:0").append(gpu).append(":00.0\",device=\"nvidia")
                        .append(gpu).append("\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"gpu-node-07\","
                                + "DCGM_FI_DRIVER_VERSION=\"550.54.15\"} ").append(40 + f + gpu * 0.125).append('\n');
            }
        }
        body = b.toString();
        ClusterSimulator sim = new ClusterSimulator(SimulationConfig.builder().chips(10_000).seed(1).build());
        sim.tick();
        exposition = new ClusterExposition(sim);
    }

    /** One node's scrape body → its 8 chip samples. */
    @Benchmark
    public SourceReading parseAndMapOneNode() throws ExpositionException {
        return DcgmMapping.map(TARGET, TextFormatParser.parse(body, DcgmMapping.SERIES::contains), 0);
    }

    /** The simulator's whole /metrics at 10,000 chips. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int exposition10k() throws IOException {
        return exposition.writeTo(sink);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(SourceBenchmark.class.getSimpleName()).build()).run();
    }
}
