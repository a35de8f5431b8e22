package io.chipwatch.jobs.bench;

import io.chipwatch.jobs.detect.LinkEndsSerializer;
import io.chipwatch.jobs.detect.LinkLatencyDetector.LinkEnds;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One chip's {@link LinkEnds} (8 links, the link latency detector's keyed state) through a checkpoint and back, with
 * Flink's POJO serializer ({@code pojo}, what the state used before) and {@link LinkEndsSerializer}
 * ({@code compact}), in the same run. {@code checkpointRoundTrip} writes the value to a {@code DataOutputStream}
 * over an unsynchronized buffering stream, as a heap snapshot writes to its checkpoint stream (a call per primitive unless the
 * serializer writes in bulk), then reads it back; {@code copy} is what the heap backend does on the first access
 * to a value after each checkpoint (copy on write). At 10,000 chips and a checkpoint every 2 s that is 5,000 values
 * a second of each.
 *
 * <p>Run (from the repository root, after {@code mvn -o -q -pl stream-jobs -Pbench test-compile}):
 * <pre>
 * java -cp stream-jobs/target/test-classes:stream-jobs/target/classes:$(cat stream-jobs/target/test.classpath) \
 *     io.chipwatch.jobs.bench.LinkEndsSerializerBenchmark
 * </pre>
 * (or {@code org.openjdk.jmh.Main LinkEndsSerializerBenchmark -f 1 -wi 2 -i 3 -r 2s} for a short run).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LinkEndsSerializerBenchmark {

    @Param({"pojo", "compact"})
    public String serializer;

    private TypeSerializer<LinkEnds> ser;
    private LinkEnds value;
    private final BufferStream bytes = new BufferStream();
    private final DataOutputViewStreamWrapper checkpointStream = new DataOutputViewStreamWrapper(bytes);
    private final DataInputDeserializer in = new DataInputDeserializer();

    @Setup(Level.Trial)
    public void setUp() {
        if ("pojo".equals(serializer)) {
            ser = TypeInformation.of(LinkEnds.class).createSerializer(new SerializerConfigImpl());
            if (!(ser instanceof PojoSerializer)) {
                throw new IllegalStateException("expected Flink's POJO serializer, got " + ser);
            }
        } else {
            ser = LinkEndsSerializer.INSTANCE;
        }
        value = eightLinks();
    }

    /** A chip's eight links as the detector holds them at 10,000 chips (6 intra-node, 2 fabric). */
    static LinkEnds eightLinks() {
        int n = 8;
        LinkEnds s = LinkEnds.withSlots(n);
        s.lastMillis = 1_795_000_123_000L;
        for (int i = 0; i < n; i++) {
            boolean fabric = i >= 6;
            s.link[i] = fabric ? "p03-r12-n05-c02~sw" + (i - 6) : "p03-r12-n05-c02~c0" + (i < 2 ? i : i + 1);
            s.peer[i] = fabric ? "p03-r12-sw" + (i - 6) : "p03-r12-n05-c0" + (i < 2 ? i : i + 1);
            s.kind[i] = fabric ? "fabric" : "intra";
            s.baselineUs[i] = fabric ? 3.71 + i / 100.0 : 1.86 + i / 100.0;
            s.lastSeenMillis[i] = s.lastMillis;
            s.normalRow[i] = 120 + i;
            s.lastEpisodeMillis[i] = i == 3 ? s.lastMillis - 40_000 : 0;
            s.lastBadMillis[i] = i == 3 ? s.lastMillis - 39_000 : 0;
        }
        return s;
    }

    /** Serialize to a checkpoint-like stream, then deserialize the bytes. */
    @Benchmark
    public LinkEnds checkpointRoundTrip() throws IOException {
        bytes.length = 0;
        ser.serialize(value, checkpointStream);
        in.setBuffer(bytes.buffer, 0, bytes.length);
        return ser.deserialize(in);
    }

    /** A deep copy, as copy-on-write state makes on the first access after a checkpoint. */
    @Benchmark
    public LinkEnds copy() {
        return ser.copy(value);
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(LinkEndsSerializerBenchmark.class.getName() + "\\.")
                .build();
        new Runner(options).run();
    }
}
