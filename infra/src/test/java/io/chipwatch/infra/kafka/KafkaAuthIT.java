package io.chipwatch.infra.kafka;

import io.chipwatch.infra.LocalKafka;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real broker with the local stack's security: who gets in, and who may write what.
 */
class KafkaAuthIT {
    static final KafkaAcls.Names NAMES = new KafkaAcls.Names("chip-samples", "fault-truth",
            "chip-samples-dead-letter", "anomalies", "alerting-state", "chipwatch-aggregation", "chipwatch-detection",
            "chipwatch-alerting", "chipwatch-detection");

    @TempDir
    static Path tmp;
    static KafkaCredentialFiles files;
    static LocalKafka kafka;

    @BeforeAll
    static void start() {
        files = new KafkaCredentialFiles(tmp.resolve("secrets")).createMissing();
        kafka = LocalKafka.builder().dataDir(tmp.resolve("kafka")).startTimeout(Duration.ofSeconds(120))
                .security(files.brokerSecurity(NAMES)).build().start();
        kafka.createTopics(Map.of("chip-samples", 2, "anomalies", 1, "alerting-state", 1));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void collectorWritesSamplesAndDetectionReadsThem() throws Exception {
        RecordMetadata written = send(credentials(KafkaRole.COLLECTOR), "chip-samples", "chip-0", "sample");
        assertThat(written.offset()).isGreaterThanOrEqualTo(0);

        Properties c = consumerProps(credentials(KafkaRole.DETECTION), "chipwatch-detection");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of("chip-samples"));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            assertThat(values).contains("sample");
            consumer.commitSync();
        }
    }

    @Test
    void detectionWritesAnomaliesButNotSamplesNorAlertingState() throws Exception {
        assertThat(send(credentials(KafkaRole.DETECTION), "anomalies", "a-1", "anomaly").offset())
                .isGreaterThanOrEqualTo(0);
        assertThatThrownBy(() -> send(credentials(KafkaRole.DETECTION), "chip-samples", "chip-0", "forged"))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(credentials(KafkaRole.DETECTION), "alerting-state", "silence/x", "{}"))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void onlyAlertingWritesItsState() throws Exception {
        assertThat(send(credentials(KafkaRole.ALERTING), "alerting-state", "silence/x", "{}").offset())
                .isGreaterThanOrEqualTo(0);
        for (KafkaRole role : List.of(KafkaRole.COLLECTOR, KafkaRole.AGGREGATION)) {
            assertThatThrownBy(() -> send(credentials(role), "alerting-state", "silence/y", "{}"))
                    .as(role.username()).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        Properties p = new Properties();
        p.putAll(KafkaClientSecurity.settings("collector", "not-the-password-0123456789", KafkaClientSecurity.SCRAM));
        assertThatThrownBy(() -> send(p, "chip-samples", "chip-0", "forged"))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void unauthenticatedClientsAreRefusedOnBothListeners() {
        String controller = "127.0.0.1:" + kafka.controllerPort();
        // Positive control: the broker's own principal gets an answer from both listeners.
        Properties broker = new Properties();
        broker.putAll(kafka.superUserSettings());
        assertThat(describeClusterFailure(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                broker)).isNull();
        assertThat(describeClusterFailure(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, controller, broker))
                .isNull();
        // A PLAINTEXT client on a SASL listener: the broker closes the connection, the client never gets an answer.
        assertThat(describeClusterFailure(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                new Properties())).isNotNull();
        assertThat(describeClusterFailure(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, controller,
                new Properties())).isNotNull();
        // A role's SCRAM password does not open the controller listener, which knows the broker's PLAIN user only.
        assertThat(describeClusterFailure(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, controller,
                credentials(KafkaRole.ADMIN))).isNotNull();
    }

    @Test
    void passwordsStayOutOfTheLogAndTheConfigIsPrivate() throws Exception {
        String log = Files.readString(kafka.logFile());
        assertThat(log).contains("Kafka Server started");
        for (KafkaRole role : KafkaRole.values()) {
            String jaas = KafkaClientSecurity.settings(files.file(role)).get("sasl.jaas.config");
            String password = jaas.substring(jaas.indexOf("password=\"") + 10, jaas.lastIndexOf('"'));
            assertThat(log).doesNotContain(password);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.file(role))))
                    .isEqualTo("rw-------");
        }
        String brokerJaas = kafka.superUserSettings().get("sasl.jaas.config");
        String brokerPassword = brokerJaas.substring(brokerJaas.indexOf("password=\"") + 10, brokerJaas.lastIndexOf('"'));
        assertThat(log).doesNotContain(brokerPassword);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                kafka.dataDir().resolve("server.properties")))).isEqualTo("rw-------");
    }

    private static Properties credentials(KafkaRole role) {
        return KafkaClientSecurity.apply(new Properties(), files.file(role));
    }

    private static RecordMetadata send(Properties security, String topic, String key, String value)
            throws Exception {
        Properties p = new Properties();
        p.putAll(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (KafkaException e) {
            // Raised by send itself (e.g. authentication while fetching metadata): wrap as the future would.
            throw new ExecutionException(e);
        }
    }

    private static Properties consumerProps(Properties security, String group) {
        Properties p = new Properties();
        p.putAll(security);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /** Null when the cluster answered a description, else what failed. */
    private static Throwable describeClusterFailure(String bootstrapKey, String address, Properties security) {
        Properties p = new Properties();
        p.putAll(security);
        p.put(bootstrapKey, address);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            assertThat(admin.describeCluster().nodes().get(8, TimeUnit.SECONDS)).isNotEmpty();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }
}
