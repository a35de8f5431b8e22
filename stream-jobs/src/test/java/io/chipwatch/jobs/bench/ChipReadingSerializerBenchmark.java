package io.chipwatch.jobs.bench;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.jobs.datatypes.ChipReadingSerializer;
import io.chipwatch.jobs.datatypes.ChipReadingSerializerV1;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Topology;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@link ChipReading} across one of the detection job's node or rack shuffles: serialized into a network buffer
 * and read back by the receiving task, with the first format ({@code v1}: five strings, {@link ChipReadingSerializerV1})
 * and the topology-coded one ({@code v2}: {@link ChipReadingSerializer}), same run. The readings cycle over the
 * 10,000 chips of the default topology (busy, with a job), as a second of the live stream does, so the decode cache
 * sees every chip. Each reading crosses four such edges. Add {@code -prof gc} for the bytes allocated per reading.
 *
 * <p>Run (from the repository root, after {@code mvn -o -q -pl stream-jobs -am -Pbench test-compile}):
 * <pre>
 * java -cp stream-jobs/target/test-classes:stream-jobs/target/classes:$(cat stream-jobs/target/test.classpath) \
 *     org.openjdk.jmh.Main ChipReadingSerializerBenchmark -f 1 -wi 3 -i 5 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChipReadingSerializerBenchmark {

    @Param({"v1", "v2"})
    public String format;

    private TypeSerializer<ChipReading> ser;
    private ChipReading[] readings;
    private int next;
    private final DataOutputSerializer out = new DataOutputSerializer(256);
    private final DataInputDeserializer in = new DataInputDeserializer();

    @Setup(Level.Trial)
    public void setUp() {
        ser = "v1".equals(format) ? ChipReadingSerializerV1.INSTANCE : ChipReadingSerializer.INSTANCE;
        List<Chip> chips = Topology.build(ClusterShape.DEFAULT, 10_000).chips();
        readings = new ChipReading[chips.size()];
        for (int i = 0; i < readings.length; i++) {
            Chip c = chips.get(i);
            // Fresh strings, as decoding a sample makes them.
            readings[i] = new ChipReading(1_795_000_000_000L + i, new String(c.id()), new String(c.node()),
                    new String(c.rack()), new String(c.pod()), "train-" + String.format("%05d", i / 64),
                    87.5, 612.25, 71.0, 0.75, false, true);
        }
    }

    /** One reading to a network buffer: the sending side of an edge. */
    @Benchmark
    public int write() throws IOException {
        ChipReading r = readings[next];
        next = next + 1 == readings.length ? 0 : next + 1;
        out.clear();
        ser.serialize(r, out);
        return out.length();
    }

    /** One reading to a network buffer and back: both sides of an edge. */
    @Benchmark
    public ChipReading shuffle() throws IOException {
        ChipReading r = readings[next];
        next = next + 1 == readings.length ? 0 : next + 1;
        out.clear();
        ser.serialize(r, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return ser.deserialize(in);
    }
}
