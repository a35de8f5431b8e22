package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.datatypes.Resolution;
import io.chipwatch.jobs.datatypes.Rollup;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.jobs.functions.CapacityAggregate;
import io.chipwatch.jobs.functions.ChipWindowAggregate;
import io.chipwatch.jobs.functions.EmitChipWindow;
import io.chipwatch.jobs.functions.EmitRollup;
import io.chipwatch.jobs.functions.FireAtWindowEnd;
import io.chipwatch.jobs.functions.LateSamples;
import io.chipwatch.jobs.functions.RollupAggregate;
import io.chipwatch.jobs.functions.RollupKey;
import io.chipwatch.jobs.launch.DecodedSamples;
import io.chipwatch.jobs.launch.JobEnvironment;
import io.chipwatch.jobs.launch.JobLauncher;
import io.chipwatch.jobs.sink.influx.CapacityPointToPoint;
import io.chipwatch.jobs.sink.influx.ChipWindowToPoint;
import io.chipwatch.jobs.sink.influx.InfluxSink;
import io.chipwatch.jobs.sink.influx.LinkWindowToPoint;
import io.chipwatch.jobs.sink.influx.PointConverter;
import io.chipwatch.jobs.sink.influx.RollupToPoint;
import io.chipwatch.jobs.sink.kafka.DeadLetterSerializer;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The aggregation job: reads encoded chip samples from Kafka and writes to InfluxDB (CONTRACTS.md §3) each chip's
 * statistics per 10-second event-time window (with its links' latency summary), each link's at a coarser interval
 * and in the windows where it is unhealthy ({@link io.chipwatch.jobs.functions.LinkDetail}), the node, rack, pod, cluster and job roll-ups of those
 * windows, and 1-minute and 1-hour capacity history. Records that cannot be used, and samples that arrive after
 * their window closed, go to a dead-letter topic; the job never fails on bad input.
 *
 * <pre>
 * Kafka (per-partition watermarks) -> keyBy(record key) -> DecodeSamples --(rejected)--------------+
 *   -> 10 s chip windows (dedup, ChipWindowAggregate, EmitChipWindow) --(late samples: LateSamples)-+-> dead letters
 *        +-> chip points                                                                            (Kafka)
 *        +-> link points (side output)
 *        +-> chip roll-up rows (side output) -> node -> rack -> pod -> cluster; and -> job   (10 s windows each)
 *                                                   +-> node/rack/pod/cluster/job points
 *        chip points + roll-ups -> 1-minute capacity -> 1-hour capacity -> capacity points (their own policies)
 * </pre>
 *
 * <p>Run with {@code main} (options in {@link AggregationJobOptions}, or {@code --help}), or call {@link #configure}
 * and {@link #build} on an environment of your own (tests run it on a MiniCluster that way). What every job shares
 * (the launcher, environment, checkpoints, Kafka source, decoding) is in {@code io.chipwatch.jobs.launch}.
 */
public final class AggregationJob {
    /** Name of the job in Flink. */
    public static final String JOB_NAME = "chipwatch-aggregation";

    /**
     * Samples later than the watermark go to the dead letters as LATE (see {@link LateSamples}). Every window stage
     * fires by {@link FireAtWindowEnd}, which needs no lateness.
     */
    static final Duration ALLOWED_LATENESS = Duration.ZERO;

    /**
     * Buffer timeout of the edges after the chip windows (roll-ups, capacity, late samples): 0, each row is sent on
     * at once. They carry at most a node row per node and window (125 a second at 10,000 chips), so flushing each
     * costs less than the flusher thread an edge with a timeout has, which wakes every timeout (100 ms by default)
     * whether there is anything to send or not: 38 of the job's 46 such threads were on these edges
     * (docs/PERFORMANCE.md). The samples' and chip windows' own edges (1,000 to 10,000 records a second) keep the
     * default. A roll-up also reaches the next stage and InfluxDB that much sooner.
     */
    static final long FEW_ROWS_BUFFER_TIMEOUT_MS = 0;

    private AggregationJob() {
    }

    /** Parses the options, builds the job and runs it until it ends (bounded) or is cancelled. */
    public static void main(String[] args) throws Exception {
        JobLauncher.run(JOB_NAME, new AggregationJobOptions(), args, AggregationJob::build);
    }

    /**
     * Sets checkpointing, parallelism and serialization rules, as for every job ({@link JobEnvironment#configure}).
     *
     * @throws UncheckedIOException if the checkpoint directory cannot be searched or the temporary one created
     */
    public static void configure(StreamExecutionEnvironment env, AggregationJobConfig config) {
        JobEnvironment.configure(env, config.job());
    }

    /** Adds the job's data flow, reading from and writing to the Kafka and InfluxDB named in {@code config}. */
    public static void build(StreamExecutionEnvironment env, AggregationJobConfig config) {
        build(env, config, JobEnvironment.kafkaSource(config.job()), new AggregationSinks(
                influxSink(config, new ChipWindowToPoint()),
                influxSink(config, new LinkWindowToPoint()),
                influxSink(config, new RollupToPoint(config.clusterName())),
                influxSink(config, new CapacityPointToPoint(AggregationJobConfig.CAPACITY_1M_POLICY,
                        AggregationJobConfig.CAPACITY_1H_POLICY, config.clusterName())),
                deadLetterSink(config)));
    }

    /** The data flow, with its source and sinks given, so that each can be replaced in tests. */
    static void build(StreamExecutionEnvironment env, AggregationJobConfig config,
                      Source<RawRecord, ?, ?> records, AggregationSinks sinks) {
        DecodedSamples samples = DecodedSamples.from(env, records, config.job(), config.sampleValidator());
        SingleOutputStreamOperator<ChipWindow> chipWindows = samples.byChip()
                .window(TumblingEventTimeWindows.of(config.windowSize()))
                .trigger(FireAtWindowEnd.INSTANCE)
                .allowedLateness(ALLOWED_LATENESS)
                .sideOutputLateData(LateSamples.LATE_SAMPLES)
                .aggregate(new ChipWindowAggregate(), new EmitChipWindow(config.linkDetail()))
                .name("chip-windows").uid("chip-windows");

        // Rejected records, and samples that came after their window had closed: nothing is dropped silently.
        DataStream<DeadLetter> lateSamples = chipWindows.getSideOutput(LateSamples.LATE_SAMPLES)
                .process(new LateSamples(config.windowSize(), config.job().outOfOrderness()))
                .name("late-samples").uid("late-samples").setBufferTimeout(FEW_ROWS_BUFFER_TIMEOUT_MS);
        samples.deadLetters()
                .union(lateSamples)
                .sinkTo(sinks.deadLetters())
                .name("dead-letter-sink").uid("dead-letter-sink");
        chipWindows
                .sinkTo(sinks.chips())
                .name("influx-chip-sink").uid("influx-chip-sink");
        chipWindows.getSideOutput(EmitChipWindow.LINK_WINDOWS)
                .sinkTo(sinks.links())
                .name("influx-link-sink").uid("influx-link-sink");

        // Roll-ups from chip windows, never from raw samples: a node from its chips, a rack from its nodes, a pod
        // from its racks, the cluster from its pods, so each stage sees a fraction of the rows of the one before.
        // A window emits its rows at its last millisecond, so the next stage puts them in the same window and fires
        // it on the same watermark: the whole cascade closes together.
        DataStream<Rollup> chipRollups = chipWindows.getSideOutput(EmitChipWindow.CHIP_ROLLUPS);
        DataStream<Rollup> nodes = rollUp(chipRollups, Level.NODE, config);
        DataStream<Rollup> racks = rollUp(nodes, Level.RACK, config);
        DataStream<Rollup> pods = rollUp(racks, Level.POD, config);
        DataStream<Rollup> cluster = rollUp(pods, Level.CLUSTER, config);
        DataStream<Rollup> jobs = rollUp(chipRollups.filter(r -> r.job() != null).name("chips-with-a-job")
                .uid("chips-with-a-job"), Level.JOB, config);
        DataStream<Rollup> rollups = nodes.union(racks, pods, cluster, jobs);
        rollups.sinkTo(sinks.rollups())
                .name("influx-rollup-sink").uid("influx-rollup-sink");

        // Capacity history, computed here rather than by continuous queries: minutes from the 10-second points of
        // every chip, node, rack, pod, job and the cluster, hours from the minutes.
        DataStream<CapacityPoint> tenSeconds = chipWindows.map(CapacityPoint::of).name("chip-capacity-rows")
                .uid("chip-capacity-rows")
                .union(rollups.map(CapacityPoint::of).name("rollup-capacity-rows").uid("rollup-capacity-rows")
                        .setBufferTimeout(FEW_ROWS_BUFFER_TIMEOUT_MS));
        DataStream<CapacityPoint> minutes = capacity(tenSeconds, Resolution.MINUTE);
        DataStream<CapacityPoint> hours = capacity(minutes, Resolution.HOUR);
        minutes.union(hours)
                .sinkTo(sinks.capacity())
                .name("influx-capacity-sink").uid("influx-capacity-sink");
    }

    /** One roll-up stage: {@code rows} keyed by their entity at {@code level}, merged per tumbling window. */
    private static DataStream<Rollup> rollUp(DataStream<Rollup> rows, Level level, AggregationJobConfig config) {
        return rows
                .keyBy(new RollupKey(level), StringKeySerializer.KEY_TYPE)
                .window(TumblingEventTimeWindows.of(config.windowSize()))
                .trigger(FireAtWindowEnd.INSTANCE)
                .aggregate(new RollupAggregate(), new EmitRollup(level))
                .name(level.label() + "-rollups").uid(level.label() + "-rollups")
                .setBufferTimeout(FEW_ROWS_BUFFER_TIMEOUT_MS);
    }

    /** One capacity stage: rows keyed by level and entity, merged per tumbling window of {@code resolution}. */
    private static DataStream<CapacityPoint> capacity(DataStream<CapacityPoint> rows, Resolution resolution) {
        String name = "capacity-" + resolution.suffix();
        return rows
                .keyBy(new CapacityAggregate.Key(), StringKeySerializer.KEY_TYPE)
                .window(TumblingEventTimeWindows.of(resolution.duration()))
                .trigger(FireAtWindowEnd.INSTANCE)
                .aggregate(new CapacityAggregate(), new CapacityAggregate.Emit(resolution))
                .name(name).uid(name).setBufferTimeout(FEW_ROWS_BUFFER_TIMEOUT_MS);
    }

    /**
     * Writes points made by {@code converter}, to the raw retention policy unless the converter says otherwise.
     * Each sink's writers make sure the database and all retention policies exist when they open.
     */
    static <T> InfluxSink<T> influxSink(AggregationJobConfig config, PointConverter<T> converter) {
        return InfluxSink.<T>builder()
                .url(config.influxUrl())
                .database(config.job().influxDatabase())
                .credentialsFile(config.job().influxCredentialsFile())
                .retentionPolicies(config.retentionPolicies())
                .retentionPolicy(AggregationJobConfig.RAW_POLICY)
                .converter(converter)
                .build();
    }

    /** Writes dead letters, flushed on checkpoints (at-least-once: a replayed dead letter is harmless). */
    static KafkaSink<DeadLetter> deadLetterSink(AggregationJobConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.job().bootstrapServers())
                .setKafkaProducerConfig(JobEnvironment.properties(config.job().kafkaSecurity()))
                .setRecordSerializer(new DeadLetterSerializer(config.deadLetterTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
