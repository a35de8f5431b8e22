package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.sink.kafka.DeadLetterSerializer;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
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
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AggregationJob} end to end on real infrastructure: hand-made samples are produced to a real Kafka
 * topic, the job runs bounded on a MiniCluster exactly as {@code main} builds it, and the test reads the
 * {@code chip} points back from a real InfluxDB and the dead letter back from Kafka.
 */
@RealInfrastructure
class AggregationJobIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void writesExactChipWindowsToInfluxDbAndTheMalformedRecordToTheDeadLetterTopic(
            KafkaService kafka, InfluxService influx) throws Exception {
        String topic = TestTopics.unique("samples");
        String deadLetterTopic = TestTopics.unique("dead_letters");
        String database = TestTopics.unique("telemetry");
        // Three partitions read by one source subtask: watermarks must be tracked per partition, or one
        // partition read ahead of the others makes their samples late.
        kafka.createTopic(topic, 3);
        kafka.createTopic(deadLetterTopic, 1);
        produce(kafka.bootstrapServers(), topic, HandMadeSamples.records());

        AggregationJobConfig config = AggregationJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", topic, "--dead-letter-topic", deadLetterTopic,
                "--group-id", TestTopics.unique("aggregation"), "--influx-url", influx.url(),
                "--influx-db", database, "--bounded", "--parallelism", "1", "--checkpoint-interval-ms", "500"});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AggregationJob.configure(env, config);
        AggregationJob.build(env, config);
        env.execute(AggregationJob.JOB_NAME);

        assertThat(chipPoints(influx.url(), database))
                .containsExactlyInAnyOrderEntriesOf(HandMadeSamples.expectedWindows());

        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(kafka.bootstrapServers(), deadLetterTopic);
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(HandMadeSamples.malformed());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(HandMadeSamples.chip(3));
            assertThat(header(record, DeadLetterSerializer.REASON)).isEqualTo("MALFORMED_BODY");
            assertThat(header(record, DeadLetterSerializer.SOURCE_TOPIC)).isEqualTo(topic);
        });
    }

    private static void produce(String bootstrap, String topic, List<HandMadeSamples.KeyedValue> records)
            throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (HandMadeSamples.KeyedValue r : records) {
                producer.send(new ProducerRecord<>(topic, r.chip().getBytes(StandardCharsets.UTF_8), r.value()));
            }
            producer.flush();
        }
    }

    /** Every {@code chip} point, as ChipWindows keyed "chip@windowStart". */
    private static Map<String, ChipWindow> chipPoints(String url, String database) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult result = client.query(new Query("SELECT * FROM chip", database), TimeUnit.MILLISECONDS);
            assertThat(result.getError()).isNull();
            Map<String, ChipWindow> points = new HashMap<>();
            for (QueryResult.Result r : result.getResults()) {
                assertThat(r.getError()).isNull();
                for (QueryResult.Series series : r.getSeries()) {
                    List<String> columns = series.getColumns();
                    for (List<Object> row : series.getValues()) {
                        Map<String, Object> v = new HashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            v.put(columns.get(i), row.get(i));
                        }
                        ChipWindow w = new ChipWindow((String) v.get("chip"), (String) v.get("node"),
                                (String) v.get("rack"), (String) v.get("pod"), (String) v.get("job"),
                                ((Number) v.get("time")).longValue(),
                                (Double) v.get("util_mean"), (Double) v.get("util_max"),
                                (Double) v.get("temp_mean"), (Double) v.get("temp_max"),
                                (Double) v.get("power_mean"), (Double) v.get("power_max"),
                                ((Number) v.get("samples")).longValue());
                        assertThat(points.put(w.chip() + "@" + w.windowStart(), w)).as("one point per window").isNull();
                    }
                }
            }
            return points;
        }
    }

    /** All records of a topic, read from the beginning to the end offsets as they are now. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
