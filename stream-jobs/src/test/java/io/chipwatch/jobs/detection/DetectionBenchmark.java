package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.aggregation.AggregationBenchmark.PreEncodedSamples;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.launch.JobEnvironment;
import io.chipwatch.jobs.testing.CpuRuns;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.time.Duration;

/**
 * Cost of the detection job's whole data flow, as {@code AggregationBenchmark} measures the aggregation job's: an
 * in-memory source of pre-encoded samples (10,000 chips of the default shape, 8 links each, one sample per chip and
 * second, random readings), the job exactly as {@link DetectionJob#build} wires it (decoding and validation,
 * duplicate removal, every detector, the silence gate), a discarding sink in place of Kafka, parallelism 2 as the
 * local stack runs it, checkpoints every 10 s. Reported per run: records per CPU-second of the whole process (all
 * of Flink's threads, GC and JIT included), the figure to compare between two builds; the median last.
 *
 * <p>Run (from the repository root, after {@code mvn -o -q -B -pl stream-jobs -Pbench test-compile}):
 * <pre>
 * java -Xmx2g -cp stream-jobs/target/test-classes:stream-jobs/target/classes:$(cat stream-jobs/target/test.classpath) \
 *     io.chipwatch.jobs.detection.DetectionBenchmark [chips] [seconds of data per run] [measured runs]
 * </pre>
 * Defaults 10000 60 3. The first run, unmeasured, warms up the JIT.
 */
public final class DetectionBenchmark {
    private DetectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int chips = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long records = (long) chips * seconds;
        System.out.printf("detection benchmark: %,d chips x %d s = %,d records per run, parallelism 2, %d CPUs%n",
                chips, seconds, records, Runtime.getRuntime().availableProcessors());
        CpuRuns.measure(records, runs, () -> runOnce(chips, seconds));
    }

    private static JobExecutionResult runOnce(int chips, int seconds) throws Exception {
        DetectionJobConfig config = DetectionJobConfig.builder().bootstrapServers("unused:9092").parallelism(2)
                .anyTime().checkpointInterval(Duration.ofSeconds(10)).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, config.job());
        DataGeneratorSource<RawRecord> source = new DataGeneratorSource<>(new PreEncodedSamples(chips),
                (long) chips * seconds, TypeInformation.of(RawRecord.class));
        DetectionJob.build(env, config, source, new DiscardingSink<>(), null);
        return env.execute("detection-benchmark");
    }
}
