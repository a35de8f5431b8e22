package io.chipwatch.jobs.bench;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.jobs.sink.influx.ChipWindowToPoint;
import io.chipwatch.jobs.sink.influx.LineProtocol;
import io.chipwatch.jobs.sink.influx.LinkWindowToPoint;
import org.influxdb.dto.Point;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.concurrent.TimeUnit;

/**
 * The Influx sink's cost per point: the former encoding (influxdb-java's {@code Point} builder, then
 * {@code lineProtocol}, which the library ran for every point of a batch) against {@link LineProtocol} appending
 * into the batch's reused buffer, for a {@code chip} point (with its link summary) and a {@code link} point, with
 * realistic ids and values (fractions that need all their digits).
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -o -q -B -pl stream-jobs -Pbench test-compile
 * java -cp stream-jobs/target/test-classes:stream-jobs/target/classes:$(cat stream-jobs/target/test.classpath) \
 *     io.chipwatch.jobs.bench.LineProtocolBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LineProtocolBenchmark {
    private final ChipWindow chip = new ChipWindow("p3-r17-n05-c6", "p3-r17-n05", "p3-r17", "p3", "train-1234",
            1_796_264_350_000L, 61.37499999999999, 97.25, 71.12333333333333, 74.4, 301.52500000000003, 399.0625, 10,
            1.9730000000000001, 4.253, 4.977);
    private final LinkWindow link = new LinkWindow("p3-r17-n05-c1~c6", "p3-r17-n05-c6", "p3-r17-n05-c1",
            "p3-r17-n05", "p3-r17", "p3", "intra", 1_796_264_350_000L, 1.9436000000000002, 2.003, 2.0071, 10);
    private final ChipWindowToPoint chipConverter = new ChipWindowToPoint();
    private final LinkWindowToPoint linkConverter = new LinkWindowToPoint();
    private final StringBuilder batch = new StringBuilder(1 << 16);
    private final LineProtocol encoder = new LineProtocol(batch);

    @Benchmark
    public String chipPointBefore() {
        Point.Builder point = Point.measurement("chip").time(chip.windowStart(), TimeUnit.MILLISECONDS)
                .tag("chip", chip.chip()).tag("node", chip.node()).tag("rack", chip.rack()).tag("pod", chip.pod())
                .tag("job", chip.job())
                .addField("link_latency_us_p50", chip.linkLatencyUsP50())
                .addField("link_latency_us_p99", chip.linkLatencyUsP99())
                .addField("link_latency_us_max", chip.linkLatencyUsMax())
                .addField("util_mean", chip.utilMean()).addField("util_max", chip.utilMax())
                .addField("temp_mean", chip.tempMean()).addField("temp_max", chip.tempMax())
                .addField("power_mean", chip.powerMean()).addField("power_max", chip.powerMax())
                .addField("samples", chip.samples());
        return point.build().lineProtocol(TimeUnit.MILLISECONDS);
    }

    @Benchmark
    public int chipPointAfter() {
        batch.setLength(0);
        chipConverter.write(chip, encoder);
        return batch.length();
    }

    @Benchmark
    public String linkPointBefore() {
        return Point.measurement("link").time(link.windowStart(), TimeUnit.MILLISECONDS)
                .tag("link", link.link()).tag("chip", link.chip()).tag("peer", link.peer()).tag("node", link.node())
                .tag("rack", link.rack()).tag("pod", link.pod()).tag("kind", link.kind())
                .addField("latency_us_mean", link.latencyUsMean()).addField("latency_us_p99", link.latencyUsP99())
                .addField("latency_us_max", link.latencyUsMax()).addField("samples", link.samples())
                .build().lineProtocol(TimeUnit.MILLISECONDS);
    }

    @Benchmark
    public int linkPointAfter() {
        batch.setLength(0);
        linkConverter.write(link, encoder);
        return batch.length();
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(LineProtocolBenchmark.class.getSimpleName()).build();
        new Runner(options).run();
    }
}
