package io.chipwatch.infra;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real broker and influxd as attached processes: they serve, survive a restart with their data, and die. */
class LocalInfrastructureIT {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInfrastructureIT.class);

    @TempDir
    Path tmp;

    @Test
    void kafkaServesKeepsRecordsOverARestartAndStops() throws Exception {
        long lastPid;
        try (LocalKafka kafka = LocalKafka.builder().dataDir(tmp.resolve("kafka")).build()) {
            long t0 = System.nanoTime();
            kafka.start();
            LOG.info("first start (with format) took {} ms, RSS {} MB", (System.nanoTime() - t0) / 1_000_000,
                    rssMb(kafka.pid()));
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
            kafka.createTopics(Map.of("it-samples", 2));
            kafka.createTopic("it-samples", 2); // exists: no error

            produce(kafka.bootstrapServers(), "it-samples", "before");
            assertThat(consume(kafka.bootstrapServers(), "it-samples", 1)).containsExactly("before");

            int port = kafka.port();
            long firstPid = kafka.pid();
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(ProcessControl.isAlive(firstPid)).isFalse();

            t0 = System.nanoTime();
            kafka.start();
            LOG.info("restart took {} ms", (System.nanoTime() - t0) / 1_000_000);
            assertThat(kafka.port()).isEqualTo(port);
            assertThat(kafka.pid()).isNotEqualTo(firstPid);
            produce(kafka.bootstrapServers(), "it-samples", "after");
            assertThat(consume(kafka.bootstrapServers(), "it-samples", 2)).containsExactlyInAnyOrder("before", "after");
            LOG.info("broker RSS after a few records: {} MB", rssMb(kafka.pid()));
            lastPid = kafka.pid();
        }
        assertThat(ProcessControl.isAlive(lastPid)).isFalse();
        assertThat(tmp.resolve("kafka/kafka.log")).isNotEmptyFile();
    }

    @Test
    void influxServesKeepsPointsOverARestartAndStops() throws Exception {
        long lastPid;
        try (LocalInfluxDb influx = LocalInfluxDb.builder().dataDir(tmp.resolve("influx")).build()) {
            long t0 = System.nanoTime();
            influx.start();
            LOG.info("influxd start took {} ms, RSS {} MB", (System.nanoTime() - t0) / 1_000_000,
                    rssMb(influx.pid()));
            assertThat(influx.url()).isEqualTo("http://127.0.0.1:" + influx.port());
            influx.createDatabase("it");
            influx.createDatabase("it"); // exists: no error

            write(influx.url(), 1_000, 1.5);
            assertThat(count(influx.url())).isEqualTo(1.0);

            String url = influx.url();
            long firstPid = influx.pid();
            influx.stop();
            assertThat(ProcessControl.isAlive(firstPid)).isFalse();
            assertThat(LocalInfluxDb.ping(url)).isFalse();

            influx.start();
            assertThat(influx.url()).isEqualTo(url);
            assertThat(count(url)).isEqualTo(1.0);
            write(url, 2_000, 2.5);
            assertThat(count(url)).isEqualTo(2.0);
            lastPid = influx.pid();
        }
        assertThat(ProcessControl.isAlive(lastPid)).isFalse();
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        var props = Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, "chip-1", value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the topic from the start, without a consumer group, until {@code expected} records came. */
    private static List<String> consume(String bootstrap, String topic, int expected) {
        var props = Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    private static void write(String url, long timeMillis, double value) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            client.write("it", "autogen", Point.measurement("chip")
                    .time(timeMillis, TimeUnit.MILLISECONDS)
                    .tag("chip", "c1")
                    .addField("temp", value)
                    .build());
        }
    }

    private static double count(String url) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult result = client.query(new Query("SELECT count(temp) FROM chip", "it"));
            assertThat(result.hasError()).as(String.valueOf(result.getError())).isFalse();
            return ((Number) result.getResults().get(0).getSeries().get(0).getValues().get(0).get(1)).doubleValue();
        }
    }

    private static long rssMb(long pid) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1L);
    }
}
