package io.chipwatch.jobs.bench;

import io.chipwatch.jobs.datatypes.StringKeySerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
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
import java.util.concurrent.TimeUnit;

/**
 * Writing one state key (a chip id) to a checkpoint-like stream, as a heap snapshot does for every state entry and
 * timer: Flink's {@link StringSerializer} ({@code flink}) vs {@link StringKeySerializer} ({@code bulk}), same run.
 * Run as {@link LinkEndsSerializerBenchmark} says, with this class's name.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StringKeySerializerBenchmark {

    @Param({"flink", "bulk"})
    public String serializer;

    private TypeSerializer<String> ser;
    private final BufferStream bytes = new BufferStream();
    private final DataOutputViewStreamWrapper checkpointStream = new DataOutputViewStreamWrapper(bytes);

    @Setup(Level.Trial)
    public void setUp() {
        ser = "flink".equals(serializer) ? StringSerializer.INSTANCE : StringKeySerializer.INSTANCE;
    }

    /** One chip id to the stream. */
    @Benchmark
    public int writeChipKey() throws IOException {
        bytes.length = 0;
        ser.serialize("p03-r12-n05-c02", checkpointStream);
        return bytes.length;
    }
}
