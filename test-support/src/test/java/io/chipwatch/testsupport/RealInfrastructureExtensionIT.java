package io.chipwatch.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The API other modules' tests use, on whatever infrastructure this machine offers. */
@RealInfrastructure
class RealInfrastructureExtensionIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sharedKafkaCarriesRecords(KafkaService kafka) throws Exception {
        String topic = TestTopics.unique("samples");
        kafka.createTopic(topic, 2);
        produce(kafka.bootstrapServers(), topic, "hello");
        assertThat(consume(kafka.bootstrapServers(), topic, 1)).containsExactly("hello");
    }

    @Test
    void sharedInstancesAreOnePerJvm(KafkaService kafka, InfluxService influx, TestInfrastructure infrastructure) {
        assertThat(infrastructure.kafka().bootstrapServers()).isEqualTo(kafka.bootstrapServers());
        assertThat(TestInfrastructure.get().influx().url()).isEqualTo(influx.url());
    }

    @Test
    void sharedInfluxStoresPoints(InfluxService influx) throws Exception {
        String db = TestTopics.unique("telemetry");
        influx.createDatabase(db);
        write(influx.url(), db, "chip,chip=c1 temp=71.5 1000");
        assertThat(query(influx.url(), db, "SELECT temp FROM chip")).contains("71.5");
    }

    @Test
    void aStoppedSharedInfluxIsRunningAgainWhenHandedOut() throws Exception {
        InfluxService first = TestInfrastructure.get().influx();
        String db = TestTopics.unique("outage");
        first.createDatabase(db);
        first.stop(); // what a test should not do to a shared instance; the next one must not suffer from it
        InfluxService next = TestInfrastructure.get().influx();
        assertThat(next.url()).isEqualTo(first.url());
        assertThat(query(next.url(), db, "SHOW MEASUREMENTS")).doesNotContain("error");
    }

    @Test
    void aDedicatedKafkaKeepsRecordsOverARestart(DedicatedKafka kafka, KafkaService shared) throws Exception {
        assertThat(kafka.bootstrapServers()).isNotEqualTo(shared.bootstrapServers());
        String topic = TestTopics.unique("restart");
        kafka.createTopic(topic, 1);
        produce(kafka.bootstrapServers(), topic, "before");

        String address = kafka.bootstrapServers();
        kafka.stop();
        kafka.start();

        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        produce(kafka.bootstrapServers(), topic, "after");
        assertThat(consume(kafka.bootstrapServers(), topic, 2)).containsExactly("before", "after");
    }

    @Test
    void aDedicatedInfluxKeepsDataOverARestart(DedicatedInflux influx) throws Exception {
        String db = TestTopics.unique("restart");
        influx.createDatabase(db);
        write(influx.url(), db, "chip,chip=c1 temp=1.5 1000");
        String url = influx.url();
        influx.stop();
        influx.start();
        assertThat(influx.url()).isEqualTo(url);
        assertThat(query(url, db, "SELECT temp FROM chip")).contains("1.5");
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        var props = Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

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

    private static void write(String url, String db, String line) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create(url + "/write?precision=ms&db=" + enc(db)))
                .POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    private static String query(String url, String db, String q) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create(url + "/query?db=" + enc(db) + "&q=" + enc(q))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
