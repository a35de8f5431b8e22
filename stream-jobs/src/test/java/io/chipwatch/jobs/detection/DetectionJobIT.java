package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DetectionJob} end to end on a real broker and a real InfluxDB: a 240-chip cluster with one fault of every
 * type of the catalogue is produced to a 4-partition topic, the job runs bounded on a MiniCluster exactly as
 * {@code main} builds it (Kafka sink with either delivery, InfluxDB sink), and the test reads the anomalies back with
 * a {@code read_committed} consumer: one anomaly per fault with its scope and entity, every event once (a run without
 * failures repeats nothing, whatever the delivery), and the same events as {@code anomaly} points.
 */
@ExtendWith(RealInfrastructureExtension.class)
class DetectionJobIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    @ParameterizedTest
    @EnumSource(AnomalyDelivery.class)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void injectsEveryFaultTypeAndFindsEachAnomalyWithItsScopeAndEntity(AnomalyDelivery delivery, KafkaService kafka,
                                                                       InfluxService influx) throws Exception {
        String samples = TestTopics.unique("samples");
        String anomaliesTopic = TestTopics.unique("anomalies");
        String database = TestTopics.unique("telemetry");
        kafka.createTopic(samples, 4);
        kafka.createTopic(anomaliesTopic, 2);
        Map<String, String[]> expected = new TreeMap<>();
        FaultyCluster cluster = DetectionJobPipelineTest.clusterWithEveryFault(expected);
        long sent = produce(kafka.bootstrapServers(), samples, cluster);

        String anyTime = String.valueOf(DetectionJobArguments.ANY_TIME.toMillis());
        DetectionJobConfig config = DetectionJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", samples, "--anomalies-topic", anomaliesTopic,
                "--group-id", TestTopics.unique("detection"),
                "--transactional-id-prefix", TestTopics.unique("detection_tx"),
                "--anomaly-delivery", delivery.label(),
                "--influx-url", influx.url(), "--influx-db", database,
                "--bounded", "--parallelism", "2", "--checkpoint-interval-ms", "1000",
                "--idleness-ms", "0",
                // The cluster runs in simulated time (2026-01-01): no timestamp guard.
                "--max-future-ms", anyTime, "--max-age-ms", anyTime});
        StreamExecutionEnvironment env = JobRuns.built(config, DetectionJob::build);
        env.execute(DetectionJob.JOB_NAME);

        Map<Integer, Long> whole = wholePartitions(kafka.bootstrapServers(), samples);
        assertThat(whole.values()).as("every sample the job read was in the topic from offset 0: %s", whole)
                .doesNotContain(-1L);
        assertThat(whole.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(sent);

        List<Anomaly> events = readCommitted(kafka.bootstrapServers(), anomaliesTopic);
        DetectionJobPipelineTest.assertOneAnomalyPerFault(events, expected);
        Map<String, Integer> perIdAndState = new HashMap<>();
        for (Anomaly a : events) {
            perIdAndState.merge(a.id() + "/" + a.state(), 1, Integer::sum);
        }
        assertThat(perIdAndState.values()).as("every open and close event exactly once").containsOnly(1);
        assertThat(events).filteredOn(a -> a.state() == AnomalyState.CLOSED)
                .as("the faults that ended within the run closed").isNotEmpty();

        List<Map<String, Object>> points = ItSupport.rows(influx.url(), database, "SELECT * FROM anomaly");
        assertThat(points).hasSameSizeAs(events);
        for (Anomaly a : events) {
            assertThat(points).anySatisfy(p -> {
                assertThat(p.get("id")).isEqualTo(a.id());
                assertThat(p.get("state")).isEqualTo(a.state().label());
                assertThat(p.get("type")).isEqualTo(a.type().label());
                assertThat(p.get("scope")).isEqualTo(a.scope().label());
                assertThat(p.get("entity")).isEqualTo(a.entity());
                assertThat(p.get("severity")).isEqualTo(a.severity().label());
                assertThat(p.get("rack")).isEqualTo(a.tags().get("rack"));
            });
        }
    }

    /**
     * Produces the cluster's samples as the collector does: the Kafka record's timestamp is the producer's clock; the
     * sample's own time, in its value, is the job's event time. The samples are in simulated time (2026-01-01):
     * records stamped with it are older than the broker's retention (24 h, KafkaBrokerConfig), and its retention
     * check (every minute) deletes what the topic holds when it runs. A check during the test cut the start of every
     * partition: the job read the cluster from mid-run (no warm-up, no history) and raised only the anomaly types
     * that need neither (CI lost chip_down, node_down, overheat, rack_cooling and stuck_sensor).
     * Returns how many samples were sent.
     */
    private static long produce(String bootstrap, String topic, FaultyCluster cluster) {
        ChipSampleCodec codec = new ChipSampleCodec();
        long[] sent = {0};
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
            cluster.run(240, s -> {
                producer.send(new ProducerRecord<>(topic, s.chip().getBytes(StandardCharsets.UTF_8), codec.encode(s)));
                sent[0]++;
            });
            producer.flush();
        }
        return sent[0];
    }

    /** How many records each partition of {@code topic} holds from offset 0; -1 for one cut at its start. */
    private static Map<Integer, Long> wholePartitions(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<Integer, Long> whole = new TreeMap<>();
            partitions.forEach(p -> whole.put(p.partition(), begin.get(p) == 0 ? end.get(p) : -1L));
            return whole;
        }
    }

    /** Every committed anomaly event of the topic, decoded. */
    private static List<Anomaly> readCommitted(String bootstrap, String topic) throws Exception {
        AnomalyCodec codec = new AnomalyCodec();
        List<Anomaly> anomalies = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.readAll(bootstrap, topic, true)) {
            Anomaly a = codec.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.id());
            anomalies.add(a);
        }
        return anomalies;
    }
}
