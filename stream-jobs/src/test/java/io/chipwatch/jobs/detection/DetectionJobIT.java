package io.chipwatch.jobs.detection;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * {@code main} builds it (exactly-once Kafka sink, InfluxDB sink), and the test reads the anomalies back with a
 * {@code read_committed} consumer: one anomaly per fault with its scope and entity, every event exactly once, and
 * the same events as {@code anomaly} points.
 */
@ExtendWith(RealInfrastructureExtension.class)
class DetectionJobIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void injectsEveryFaultTypeAndFindsEachAnomalyWithItsScopeAndEntity(KafkaService kafka, InfluxService influx)
            throws Exception {
        String samples = TestTopics.unique("samples");
        String anomaliesTopic = TestTopics.unique("anomalies");
        String database = TestTopics.unique("telemetry");
        kafka.createTopic(samples, 4);
        kafka.createTopic(anomaliesTopic, 2);
        Map<String, String[]> expected = new TreeMap<>();
        FaultyCluster cluster = DetectionJobPipelineTest.clusterWithEveryFault(expected);
        produce(kafka.bootstrapServers(), samples, cluster);

        DetectionJobConfig config = DetectionJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", samples, "--anomalies-topic", anomaliesTopic,
                "--group-id", TestTopics.unique("detection"),
                "--transactional-id-prefix", TestTopics.unique("detection_tx"),
                "--influx-url", influx.url(), "--influx-db", database,
                "--bounded", "--parallelism", "2", "--checkpoint-interval-ms", "1000",
                "--idleness-ms", "0"});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionJob.configure(env, config);
        DetectionJob.build(env, config);
        env.execute(DetectionJob.JOB_NAME);

        List<Anomaly> events = readCommitted(kafka.bootstrapServers(), anomaliesTopic);
        DetectionJobPipelineTest.assertOneAnomalyPerFault(events, expected);
        Map<String, Integer> perIdAndState = new HashMap<>();
        for (Anomaly a : events) {
            perIdAndState.merge(a.id() + "/" + a.state(), 1, Integer::sum);
        }
        assertThat(perIdAndState.values()).as("every open and close event exactly once").containsOnly(1);
        assertThat(events).filteredOn(a -> a.state() == AnomalyState.CLOSED)
                .as("the faults that ended within the run closed").isNotEmpty();

        List<Map<String, Object>> points = anomalyPoints(influx.url(), database);
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

    private static void produce(String bootstrap, String topic, FaultyCluster cluster) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10);
        ChipSampleCodec codec = new ChipSampleCodec();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            cluster.run(240, s -> producer.send(new ProducerRecord<>(topic, null, s.timestampMillis(),
                    s.chip().getBytes(StandardCharsets.UTF_8), codec.encode(s))));
            producer.flush();
        }
    }

    /** Every committed anomaly event of the topic, decoded. */
    private static List<Anomaly> readCommitted(String bootstrap, String topic) throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AnomalyCodec codec = new AnomalyCodec();
        List<Anomaly> anomalies = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Anomaly a = codec.decode(r.value());
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.id());
                    anomalies.add(a);
                }
            }
        }
        return anomalies;
    }

    private static List<Map<String, Object>> anomalyPoints(String url, String database) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult result = client.query(new Query("SELECT * FROM anomaly", database), TimeUnit.MILLISECONDS);
            assertThat(result.getError()).isNull();
            List<Map<String, Object>> points = new ArrayList<>();
            for (QueryResult.Result r : result.getResults()) {
                assertThat(r.getError()).isNull();
                if (r.getSeries() == null) {
                    continue;
                }
                for (QueryResult.Series series : r.getSeries()) {
                    for (List<Object> row : series.getValues()) {
                        Map<String, Object> p = new HashMap<>();
                        for (int i = 0; i < series.getColumns().size(); i++) {
                            p.put(series.getColumns().get(i), row.get(i));
                        }
                        points.add(p);
                    }
                }
            }
            return points;
        }
    }
}
