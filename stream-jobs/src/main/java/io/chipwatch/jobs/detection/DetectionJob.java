package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.jobs.datatypes.ChipSampleSerializer;
import io.chipwatch.jobs.datatypes.LinkEndEvent;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.jobs.detect.DetectionConfig;
import io.chipwatch.jobs.detect.LinkLatencyDetector;
import io.chipwatch.jobs.detect.LinkRollup;
import io.chipwatch.jobs.detect.OverheatDetector;
import io.chipwatch.jobs.detect.PeerDetector;
import io.chipwatch.jobs.detect.RackCoolingDetector;
import io.chipwatch.jobs.detect.SilenceDetector;
import io.chipwatch.jobs.detect.SilenceGate;
import io.chipwatch.jobs.detect.StuckSensorDetector;
import io.chipwatch.jobs.detect.ThermalFeatures;
import io.chipwatch.jobs.functions.DropDuplicateSamples;
import io.chipwatch.jobs.launch.DecodedSamples;
import io.chipwatch.jobs.launch.JobEnvironment;
import io.chipwatch.jobs.launch.JobLauncher;
import io.chipwatch.jobs.sink.influx.AnomalyToPoint;
import io.chipwatch.jobs.sink.influx.InfluxSink;
import io.chipwatch.jobs.sink.kafka.AnomalySerializer;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

import java.time.Duration;

/**
 * The detection job: reads chip samples from Kafka and raises an {@link Anomaly} for every fault type of the
 * catalogue (CONTRACTS.md §2), root cause named by topology, each published once when it opens and once when it
 * closes, to the {@value Anomaly#TOPIC} topic as soon as it is decided (and to InfluxDB's {@code anomaly}
 * measurement): at-least-once with deterministic ids by default, or exactly once ({@link AnomalyDelivery}).
 *
 * <pre>
 * Kafka(chip samples, per-partition watermarks) -> keyBy(record key) -> DecodeSamples -> DropDuplicateSamples
 *   by chip:  LinkLatencyDetector (each end's links) -> keyBy(link) -> LinkRollup        link_degraded, link_flap
 *             ThermalFeatures (glitch rejection, expected temperature) -> readings
 *               by node (one shuffle, the detectors chained on it):
 *                         StuckSensorDetector (chip vs its model, peers' excess and flicker) stuck_sensor
 *                         SilenceDetector                                                 chip_down, node_down
 *                           -> SilenceGate (the fleet: one instance)                      telemetry_silent
 *                         PeerDetector (chip vs its job's peers)                          straggler, power_throttle
 *               by rack (one shuffle): OverheatDetector (chip vs its rack), RackCoolingDetector  overheat, rack_cooling
 *   union -> Kafka(anomalies, by id) + InfluxDB(anomaly)
 * </pre>
 *
 * <p>Everything runs in event time, so replaying a topic (bounded, faster than real time, as {@code eval} does)
 * raises what a live run raised. Thresholds: {@code detection.yaml}, overridable with {@code --detection-config}.
 * Run with {@code main} (options in {@link DetectionJobOptions}, or {@code --help}), or {@link #build} on an
 * environment of your own, configured by {@link JobEnvironment#configure} (tests run it on a MiniCluster). What every job shares (the launcher,
 * environment, checkpoints, Kafka source, decoding) is in {@code io.chipwatch.jobs.launch}.
 */
public final class DetectionJob {
    /** Name of the job in Flink. */
    public static final String JOB_NAME = "chipwatch-detection";

    /** How long a sample timestamp is remembered for dropping duplicates (no window downstream to match). */
    static final Duration DEDUP_HORIZON = Duration.ofSeconds(10);

    /** How long a network buffer of the detection job's sample and reading shuffles waits to fill before it is sent. */
    static final long DETECTION_BUFFER_TIMEOUT_MS = 25;

    /**
     * Buffer timeout of every edge that carries anomalies or link events (detectors, link roll-up, silence gate): 0,
     * each record is sent on at once. They are rare, so this costs next to nothing, a page loses no time in a
     * buffer, and the edge needs no flusher thread: each edge with a timeout has one that wakes every timeout, ~0.16 %
     * of a core apiece at 25 ms, and 22 of the job's 28 such threads were on these edges (docs/PERFORMANCE.md).
     */
    static final long ANOMALY_BUFFER_TIMEOUT_MS = 0;

    private DetectionJob() {
    }

    /** Parses the options, builds the job and runs it until it ends (bounded) or is cancelled. */
    public static void main(String[] args) throws Exception {
        JobLauncher.run(JOB_NAME, new DetectionJobOptions(), args, DetectionJob::build);
    }

    /** Adds the job's data flow, reading from and writing to the Kafka (and InfluxDB) named in {@code config}. */
    public static void build(StreamExecutionEnvironment env, DetectionJobConfig config) {
        build(env, config, JobEnvironment.kafkaSource(config.job()), kafkaSink(config),
                config.job().influxUrl().isEmpty() ? null : influxSink(config));
    }

    /** The data flow with its source and sinks given (the InfluxDB sink may be null), so tests can replace them. */
    public static void build(StreamExecutionEnvironment env, DetectionJobConfig config,
                             Source<RawRecord, ?, ?> records, Sink<Anomaly> anomalySink, Sink<Anomaly> influxSink) {
        DetectionConfig d = config.detection();
        // A tick crosses two shuffles (by chip, then by node or rack) before a verdict: Flink's default 100 ms of
        // network buffering per shuffle was a fifth of the page latency (docs/PERFORMANCE.md, "Page latency").
        env.setBufferTimeout(DETECTION_BUFFER_TIMEOUT_MS);

        // The aggregation job's guards (time, topology, ranges): a skewed or forged record never moves event time
        // nor makes a phantom node. Rejected records are dropped here, counted per reason in DecodeSamples'
        // metrics (pipeline_dead_letters); the aggregation job, with the same guards, publishes them as dead letters.
        DecodedSamples decoded = DecodedSamples.from(env, records, config.job(), config.sampleValidator());
        DataStream<ChipSample> distinct = decoded.byChip()
                .process(new DropDuplicateSamples(DEDUP_HORIZON, Duration.ZERO), ChipSampleSerializer.TYPE_INFO)
                .name("drop-duplicate-samples").uid("drop-duplicate-samples");
        // Still partitioned by chip: the per-chip stages chain onto it without another shuffle.
        KeyedStream<ChipSample, String> samplesByChip =
                DataStreamUtils.reinterpretAsKeyedStream(distinct, ChipSample::chip, StringKeySerializer.KEY_TYPE);

        DataStream<Anomaly> links = samplesByChip
                .process(new LinkLatencyDetector(d.link()))
                // v2: the state's serializer became LinkEndsSerializer; v1 state is left unclaimed (see README).
                .name("link-latency-detector").uid("link-latency-detector-v2")
                .setBufferTimeout(ANOMALY_BUFFER_TIMEOUT_MS)
                .keyBy(LinkEndEvent::link, StringKeySerializer.KEY_TYPE)
                .process(new LinkRollup())
                .name("link-rollup").uid("link-rollup").setBufferTimeout(ANOMALY_BUFFER_TIMEOUT_MS);

        DataStream<ChipReading> readings = samplesByChip
                .process(new ThermalFeatures(d.thermal()))
                .name("thermal-features").uid("thermal-features");
        // Each reading crosses the network once to its node's subtask and once to its rack's; the detectors of that
        // key chain onto the arrival (forward edges, the reading handed on by reference), instead of each detector
        // being its own shuffle that serializes every reading again (five crossings a reading, now two).
        KeyedStream<ChipReading, String> readingsByNode = arriveByKey(readings, ChipReading::node, "readings-by-node");
        KeyedStream<ChipReading, String> readingsByRack = arriveByKey(readings, ChipReading::rack, "readings-by-rack");

        // v2: keyed by node (a chip is judged against its peers), its state a map of chip tracks; v1's per-chip
        // runs are left unclaimed (see README). v3: a track also holds when its chip's job last changed. v4: its
        // latest excess, its latest silence and its run's range corrected by the node peers' common excess.
        DataStream<Anomaly> stuckSensors = detect(readingsByNode, new StuckSensorDetector(d),
                "stuck-sensor-detector", "stuck-sensor-detector-v4");
        SingleOutputStreamOperator<Anomaly> silenceByNode = detect(readingsByNode, new SilenceDetector(d.silence()),
                "silence-detector", "silence-detector");
        // One instance sees the whole fleet: a silence of a large part of it at once is ONE telemetry_silent.
        DataStream<Anomaly> silence = silenceByNode
                .connect(silenceByNode.getSideOutput(SilenceDetector.MEMBERS))
                .keyBy(a -> SilenceGate.FLEET, m -> SilenceGate.FLEET, StringKeySerializer.KEY_TYPE)
                .process(new SilenceGate(d.silence(), config.job().topic()))
                .name("silence-gate").uid("silence-gate").setParallelism(1)
                .setBufferTimeout(ANOMALY_BUFFER_TIMEOUT_MS);
        // The uid of the former straggler detector, whose state (peer windows, job levels) this one restores.
        DataStream<Anomaly> peers = detect(readingsByNode, new PeerDetector(d), "peer-detector", "straggler-detector");
        DataStream<Anomaly> overheats = detect(readingsByRack, new OverheatDetector(d),
                "overheat-detector", "overheat-detector");
        DataStream<Anomaly> rackCooling = detect(readingsByRack, new RackCoolingDetector(d.rackCooling()),
                "rack-cooling-detector", "rack-cooling-detector");

        // By id: every event of one anomaly through the same sink subtask (one producer), so its open reaches the
        // topic before its close. Without it the silence gate's single subtask fed the sinks round-robin, and an
        // after-the-fact telemetry_silent's close overtook its open (StackChaosIT: the alert stayed open for good).
        DataStream<Anomaly> anomalies = links.union(stuckSensors, silence, peers, overheats, rackCooling)
                .keyBy(Anomaly::id, StringKeySerializer.KEY_TYPE);
        anomalies.sinkTo(anomalySink).name("anomalies-kafka-sink").uid("anomalies-kafka-sink");
        if (influxSink != null) {
            anomalies.sinkTo(influxSink).name("anomalies-influx-sink").uid("anomalies-influx-sink");
        }
    }

    /**
     * Publishes anomaly events as {@link DetectionJobConfig#anomalyDelivery()} says: as soon as they are decided
     * (a restart may repeat some, with the same ids), or in Kafka transactions committed when a checkpoint
     * completes, so a restart neither loses nor repeats an event for {@code read_committed} consumers.
     */
    static KafkaSink<Anomaly> kafkaSink(DetectionJobConfig config) {
        KafkaSinkBuilder<Anomaly> builder = KafkaSink.<Anomaly>builder()
                .setBootstrapServers(config.job().bootstrapServers())
                .setKafkaProducerConfig(JobEnvironment.properties(config.job().kafkaSecurity()))
                .setRecordSerializer(new AnomalySerializer(config.anomaliesTopic()))
                .setDeliveryGuarantee(config.anomalyDelivery().guarantee());
        if (config.anomalyDelivery() == AnomalyDelivery.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(config.transactionalIdPrefix())
                    // The connector's default (1 h) exceeds what a broker allows by default (15 min).
                    .setProperty("transaction.timeout.ms", "600000");
        } else {
            // Sent when decided: no batching delay for a page.
            builder.setProperty("linger.ms", "0");
        }
        return builder.build();
    }

    /** Writes {@code anomaly} points. */
    static InfluxSink<Anomaly> influxSink(DetectionJobConfig config) {
        return InfluxSink.<Anomaly>builder()
                .url(config.job().influxUrl().orElseThrow())
                .database(config.job().influxDatabase())
                .credentialsFile(config.job().influxCredentialsFile())
                .converter(new AnomalyToPoint())
                .build();
    }

    /**
     * {@code readings} shuffled to the subtask of their {@code key} once, as a keyed stream that the detectors of that
     * key chain onto: a stateless pass-on operator (named and uid'd {@code name}) receives them, and the stream after
     * it is still partitioned by the key.
     */
    private static KeyedStream<ChipReading, String> arriveByKey(DataStream<ChipReading> readings,
                                                               KeySelector<ChipReading, String> key, String name) {
        DataStream<ChipReading> arrived = readings.keyBy(key, StringKeySerializer.KEY_TYPE)
                .map(new PassOn()).name(name).uid(name);
        return DataStreamUtils.reinterpretAsKeyedStream(arrived, key, StringKeySerializer.KEY_TYPE);
    }

    /** Hands a reading on unchanged: where a shuffle ends and the chained detectors begin. */
    private static final class PassOn implements MapFunction<ChipReading, ChipReading> {
        @Override
        public ChipReading map(ChipReading reading) {
            return reading;
        }
    }

    /**
     * One detector operator over {@code readings}, with its name and its uid (the key of its checkpointed state).
     * Its anomalies are sent on at once (buffer timeout 0, see {@link #ANOMALY_BUFFER_TIMEOUT_MS}).
     */
    private static SingleOutputStreamOperator<Anomaly> detect(KeyedStream<ChipReading, String> readings,
                                              KeyedProcessFunction<String, ChipReading, Anomaly> detector,
                                              String name, String uid) {
        return readings.process(detector).name(name).uid(uid).setBufferTimeout(ANOMALY_BUFFER_TIMEOUT_MS);
    }
}
