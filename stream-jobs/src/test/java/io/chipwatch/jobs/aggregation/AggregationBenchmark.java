package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.testing.CpuRuns;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;
import io.chipwatch.model.wire.ChipSampleCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput of the aggregation job's whole data flow on one core: an in-memory source of pre-encoded samples of
 * 10,000 chips (default shape, 8 links each, one sample per chip and second), the job exactly as
 * {@link AggregationJob#build} wires it (timestamps and watermarks, decoding and validation, duplicate removal,
 * chip windows, links, node/rack/pod/cluster/job roll-ups, 1-minute and 1-hour capacity, late-sample handling),
 * and discarding sinks in place of InfluxDB and Kafka. Parallelism 1, checkpoints every 10 s as in production.
 *
 * <p>Run: {@code mvn -o -q -B -pl stream-jobs -Pbench test-compile exec:exec} (or {@code java -cp} with the test
 * classpath). Arguments: {@code [chips] [seconds of data per run] [measured runs]}, default 10000 120 5. Each run
 * starts a fresh local job; the first, unmeasured, warms up the JIT. Reported per run: records per second of wall
 * time, and records per CPU-second of the whole process (all of Flink's threads, GC and JIT included), which is the
 * figure to compare per core. The median of the runs is printed last.
 */
public final class AggregationBenchmark {
    private AggregationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int chips = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long records = (long) chips * seconds;
        System.out.printf("aggregation benchmark: %,d chips x %d s = %,d records per run, parallelism 1, %d CPUs%n",
                chips, seconds, records, Runtime.getRuntime().availableProcessors());
        CpuRuns.measure(records, runs, () -> runOnce(chips, seconds));
    }

    private static JobExecutionResult runOnce(int chips, int seconds) throws Exception {
        AggregationJobConfig config = AggregationJobConfig.builder()
                .bootstrapServers("unused:9092").influxUrl("http://unused:8086").parallelism(1).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AggregationJob.configure(env, config);
        DataGeneratorSource<RawRecord> source = new DataGeneratorSource<>(new PreEncodedSamples(chips),
                (long) chips * seconds, TypeInformation.of(RawRecord.class));
        AggregationJob.build(env, config, source, new AggregationSinks(new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()));
        return env.execute("aggregation-benchmark");
    }

    /**
     * Record {@code i} is chip {@code i % chips} at second {@code i / chips}. Ten seconds of samples are encoded
     * once, when the reader opens; later seconds reuse them with the timestamp bytes rewritten (the timestamp is
     * the first field, a fixed-length varint for the times used here), so the source costs a copy per record, not
     * an encoding.
     */
    public static final class PreEncodedSamples implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private static final int DISTINCT_SECONDS = 10;

        private final int chips;
        private final long startMillis;
        private transient byte[][] templates;
        private transient byte[][] keys;
        private transient int timestampLength;

        public PreEncodedSamples(int chips) {
            this.chips = chips;
            // Recent (well inside the raw retention) and at a window start, ending before now.
            this.startMillis = (System.currentTimeMillis() - 3 * 3_600_000L) / 3_600_000L * 3_600_000L;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            Topology topology = Topology.build(ClusterShape.DEFAULT, chips);
            ChipSampleCodec codec = new ChipSampleCodec();
            Random random = new Random(42);
            templates = new byte[DISTINCT_SECONDS * chips][];
            keys = new byte[chips][];
            for (int s = 0; s < DISTINCT_SECONDS; s++) {
                for (Chip chip : topology.chips()) {
                    List<LinkLatency> links = new ArrayList<>(chip.links().size());
                    for (Link link : chip.links()) {
                        double nominal = link.kind() == LinkKind.FABRIC ? 4.0 : 2.0;
                        links.add(new LinkLatency(link.id(), link.peerOf(chip.id()), link.kind(),
                                Math.round(nominal * (1 + 0.05 * random.nextDouble()) * 1000) / 1000.0));
                    }
                    int node = chip.index() / ClusterShape.DEFAULT.chipsPerNode();
                    String job = node % 5 == 4 ? null : "job-" + (node / 16);
                    ChipSample sample = new ChipSample(startMillis + s * 1000L, chip.id(), chip.node(), chip.rack(),
                            chip.pod(), job, round(random.nextDouble() * 100), round(40 + random.nextDouble() * 45),
                            round(90 + random.nextDouble() * 310), links);
                    templates[s * chips + chip.index()] = codec.encode(sample);
                    keys[chip.index()] = chip.id().getBytes(StandardCharsets.UTF_8);
                }
            }
            timestampLength = varintLength(zigzag(startMillis));
        }

        @Override
        public RawRecord map(Long index) {
            long i = index;
            int chip = (int) (i % chips);
            long second = i / chips;
            byte[] value = templates[(int) (second % DISTINCT_SECONDS) * chips + chip].clone();
            long timestamp = startMillis + second * 1000L;
            long encoded = zigzag(timestamp);
            if (varintLength(encoded) != timestampLength) {
                throw new IllegalStateException("timestamp " + timestamp + " changes the encoded length");
            }
            // The envelope is 2 bytes (marker, version); the Avro record starts with the timestamp.
            int at = 2;
            while ((encoded & ~0x7FL) != 0) {
                value[at++] = (byte) ((encoded & 0x7F) | 0x80);
                encoded >>>= 7;
            }
            value[at] = (byte) encoded;
            return new RawRecord("chip-samples", 0, i, timestamp, keys[chip], value);
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }

        private static int varintLength(long v) {
            int n = 1;
            while ((v & ~0x7FL) != 0) {
                v >>>= 7;
                n++;
            }
            return n;
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }
    }
}
