package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.functions.ChipWindowAggregate;
import io.chipwatch.jobs.functions.DecodeSamples;
import io.chipwatch.jobs.functions.DropDuplicateSamples;
import io.chipwatch.jobs.functions.EmitChipWindow;
import io.chipwatch.jobs.functions.SampleTimestamps;
import io.chipwatch.jobs.sink.influx.ChipWindowToPoint;
import io.chipwatch.jobs.sink.influx.InfluxSink;
import io.chipwatch.jobs.sink.kafka.DeadLetterSerializer;
import io.chipwatch.jobs.source.kafka.RawRecordDeserializer;
import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The aggregation job: reads encoded chip samples from Kafka, drops duplicates, and writes each chip's
 * statistics per tumbling event-time window to InfluxDB as {@code chip} points (GUIDE.md §3). Records that
 * cannot be decoded go to a dead-letter topic; the job never fails on bad input.
 *
 * <pre>
 * Kafka(topic, per-partition watermarks) -> DecodeSamples -+-> keyBy(chip) -> DropDuplicateSamples
 *                   -> 10 s tumbling window (ChipWindowAggregate + EmitChipWindow) -> InfluxDB
 *                                                          +-> dead letters -> Kafka(dead-letter topic)
 * </pre>
 *
 * <p>Run with {@code main} (options in {@link AggregationJobConfig}), or call {@link #configure} and
 * {@link #build} on an environment of your own (tests run it on a MiniCluster that way).
 */
public final class AggregationJob {
    private static final Logger LOG = LoggerFactory.getLogger(AggregationJob.class);

    /** Name of the job in Flink. */
    public static final String JOB_NAME = "chipwatch-aggregation";

    /**
     * Samples later than the watermark are dropped for now. DropDuplicateSamples must use the same value: it
     * keeps a timestamp exactly as long as the window can still accept it.
     */
    static final Duration ALLOWED_LATENESS = Duration.ZERO;

    private AggregationJob() {
    }

    /** Parses the options, builds the job and runs it until it ends (bounded) or is cancelled. */
    public static void main(String[] args) throws Exception {
        AggregationJobConfig config;
        try {
            config = AggregationJobConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            // A usage error: the message says what to fix; a stack trace would only bury it.
            System.err.println(JOB_NAME + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("Starting {} with {}", JOB_NAME, config);
        StreamExecutionEnvironment env = createEnvironment(config);
        build(env, config);
        env.execute(JOB_NAME);
    }

    /**
     * The environment {@code main} runs in: a local one serving the web UI when a web port is set, otherwise
     * whatever {@link StreamExecutionEnvironment#getExecutionEnvironment()} gives (local, or the cluster the
     * job was submitted to); {@link #configure configured} for this job.
     */
    public static StreamExecutionEnvironment createEnvironment(AggregationJobConfig config) {
        StreamExecutionEnvironment env;
        if (config.webPort() > 0) {
            Configuration conf = new Configuration();
            conf.set(RestOptions.PORT, config.webPort());
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment();
        }
        configure(env, config);
        return env;
    }

    /** Sets checkpointing (exactly-once, the configured interval), parallelism and serialization rules. */
    public static void configure(StreamExecutionEnvironment env, AggregationJobConfig config) {
        Configuration conf = new Configuration();
        // Every type in the job has a Flink serializer. Forbidding the Kryo fallback keeps it that way: a new
        // field of an unsupported type fails at job build time instead of silently slowing the job down (and
        // Kryo needs --add-opens on Java 17 for JDK collections).
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        config.parallelism().ifPresent(env::setParallelism);
    }

    /** Adds the job's data flow, reading from and writing to the Kafka and InfluxDB named in {@code config}. */
    public static void build(StreamExecutionEnvironment env, AggregationJobConfig config) {
        build(env, config, kafkaSource(config), influxSink(config), deadLetterSink(config));
    }

    /** The data flow, with its source and sinks given, so that each can be replaced in tests. */
    static void build(StreamExecutionEnvironment env, AggregationJobConfig config,
                      Source<RawRecord, ?, ?> records, Sink<ChipWindow> chipWindowSink,
                      Sink<DeadLetter> deadLetterSink) {
        // Event time and watermarks come from the source, per Kafka partition (see SampleTimestamps for why).
        SingleOutputStreamOperator<ChipSample> samples = env
                .fromSource(records, SampleTimestamps.watermarks(config.outOfOrderness(), config.idleness()),
                        "chip-samples")
                .uid("chip-samples-source")
                .process(new DecodeSamples())
                .name("decode-samples").uid("decode-samples");

        samples.getSideOutput(DecodeSamples.DEAD_LETTERS)
                .sinkTo(deadLetterSink)
                .name("dead-letter-sink").uid("dead-letter-sink");

        DataStream<ChipSample> distinctSamples = samples
                .keyBy(chipOf(), Types.STRING)
                .process(new DropDuplicateSamples(config.windowSize(), ALLOWED_LATENESS))
                .name("drop-duplicate-samples").uid("drop-duplicate-samples");

        // DropDuplicateSamples emits each sample on the subtask of its chip, so the stream is still partitioned
        // by chip: reinterpreting it as keyed saves a second network shuffle of every sample.
        DataStreamUtils.reinterpretAsKeyedStream(distinctSamples, chipOf(), Types.STRING)
                .window(TumblingEventTimeWindows.of(config.windowSize()))
                .allowedLateness(ALLOWED_LATENESS)
                .aggregate(new ChipWindowAggregate(), new EmitChipWindow())
                .name("chip-windows").uid("chip-windows")
                .sinkTo(chipWindowSink)
                .name("influx-chip-sink").uid("influx-chip-sink");
    }

    /** Reads raw records; from the group's committed offsets, or the earliest ones for a new group. */
    static KafkaSource<RawRecord> kafkaSource(AggregationJobConfig config) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.topic())
                .setGroupId(config.groupId())
                // Earliest for a new group: a first start must not skip samples already in the topic.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer());
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** Writes {@code chip} points. */
    static InfluxSink<ChipWindow> influxSink(AggregationJobConfig config) {
        return InfluxSink.<ChipWindow>builder()
                .url(config.influxUrl())
                .database(config.influxDatabase())
                .converter(new ChipWindowToPoint())
                .build();
    }

    /** Writes dead letters, flushed on checkpoints (at-least-once: a replayed dead letter is harmless). */
    static KafkaSink<DeadLetter> deadLetterSink(AggregationJobConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(new DeadLetterSerializer(config.deadLetterTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static KeySelector<ChipSample, String> chipOf() {
        return ChipSample::chip;
    }
}
