package io.chipwatch.jobs.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Kafka and InfluxDB plumbing shared by the integration tests of the jobs. */
public final class ItSupport {
    private ItSupport() {
    }

    /** A producer of raw bytes that waits for every replica (acks=all) and never writes a record twice. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends the records (key = chip id; a null value is a tombstone) and waits until all are acknowledged. */
    public static void produce(String bootstrap, String topic, List<KeyedValue> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (KeyedValue r : records) {
                producer.send(new ProducerRecord<>(topic, r.chip().getBytes(StandardCharsets.UTF_8), r.value()));
            }
            producer.flush();
        }
    }

    /** All records of a topic, read from the beginning to the end offsets as they are now. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        return readAll(bootstrap, topic, false);
    }

    /**
     * All records of a topic, read from the beginning to the end offsets as they are now; with
     * {@code readCommitted}, only those of committed transactions.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, boolean readCommitted) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
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

    /** The end offset of every partition of {@code topic}, by partition. */
    public static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    /** Whether {@code group} has committed at least {@code offsets} on every one of those partitions. */
    public static boolean committedAtLeast(String bootstrap, String group, Map<TopicPartition, Long> offsets) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() >= e.getValue());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes, in each partition given, the records before its offset. */
    public static void deleteRecordsBefore(String bootstrap, Map<TopicPartition, Long> offsets) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            offsets.forEach((p, o) -> delete.put(p, RecordsToDelete.beforeOffset(o)));
            admin.deleteRecords(delete).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Every point of {@code "policy"."measurement"} as column -> value maps (time in epoch ms), in time order; an
     * empty list when there are none (or InfluxDB does not answer).
     */
    public static List<Map<String, Object>> points(String url, String database, String policy, String measurement) {
        return rows(url, database, "SELECT * FROM \"" + policy + "\".\"" + measurement + "\"");
    }

    /**
     * The rows {@code query} returns, as column -> value maps (time in epoch ms); an empty list when the database
     * or policy does not exist yet (or InfluxDB does not answer).
     */
    public static List<Map<String, Object>> rows(String url, String database, String query) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult result = client.query(new Query(query, database), TimeUnit.MILLISECONDS);
            assertThat(result.getError()).isNull();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (QueryResult.Result r : result.getResults()) {
                if (r.getError() != null && (r.getError().contains("database not found")
                        || r.getError().contains("retention policy not found"))) {
                    // Not created yet: the job's sinks create both when they open.
                    continue;
                }
                assertThat(r.getError()).isNull();
                if (r.getSeries() == null) {
                    continue;
                }
                for (QueryResult.Series series : r.getSeries()) {
                    List<String> columns = series.getColumns();
                    for (List<Object> values : series.getValues()) {
                        Map<String, Object> row = new HashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            row.put(columns.get(i), values.get(i));
                        }
                        row.put("time", ((Number) row.get("time")).longValue());
                        rows.add(row);
                    }
                }
            }
            return rows;
        } catch (InfluxDBIOException e) {
            return List.of();
        }
    }

    /** The points keyed by the given tag and time, "tag@time", failing on a second point with the same key. */
    public static Map<String, Map<String, Object>> byTagAndTime(List<Map<String, Object>> rows, String tag) {
        Map<String, Map<String, Object>> keyed = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String key = (tag == null ? "cluster" : row.get(tag)) + "@" + row.get("time");
            assertThat(keyed.put(key, row)).as("one point per series and time: %s", key).isNull();
        }
        return keyed;
    }

    /** The retention policies of a database: name -> [duration, default]. */
    public static Map<String, List<Object>> retentionPolicies(String url, String database) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult result = client.query(new Query("SHOW RETENTION POLICIES ON \"" + database + "\""));
            Map<String, List<Object>> policies = new HashMap<>();
            QueryResult.Series series = result.getResults().get(0).getSeries().get(0);
            int name = series.getColumns().indexOf("name");
            int duration = series.getColumns().indexOf("duration");
            int isDefault = series.getColumns().indexOf("default");
            for (List<Object> row : series.getValues()) {
                policies.put((String) row.get(name), List.of(row.get(duration), row.get(isDefault)));
            }
            return policies;
        }
    }

    public static double number(Map<String, Object> row, String field) {
        Object value = row.get(field);
        assertThat(value).as("field %s of %s", field, row).isNotNull();
        return ((Number) value).doubleValue();
    }

    /** Polls {@code condition} every 250 ms until it holds; fails after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
