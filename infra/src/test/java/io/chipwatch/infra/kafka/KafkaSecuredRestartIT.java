package io.chipwatch.infra.kafka;

import io.chipwatch.infra.LocalKafka;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local stack's broker formatted before Kafka authenticated (PLAINTEXT listeners) starts with authentication on
 * the same data folder: its topics and records stay, and the roles' credentials work.
 */
class KafkaSecuredRestartIT {

    @Test
    void aPlaintextBrokersDataIsKeptWhenItRestartsAuthenticating(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("kafka");
        LocalKafka plain = LocalKafka.builder().dataDir(data).startTimeout(Duration.ofSeconds(120)).build().start();
        int port;
        int controllerPort;
        try {
            plain.createTopic("chip-samples", 1);
            send(plain.bootstrapServers(), new Properties(), "before");
            port = plain.port();
            controllerPort = plain.controllerPort();
        } finally {
            plain.stop();
        }

        KafkaCredentialFiles files = new KafkaCredentialFiles(tmp.resolve("secrets")).createMissing();
        LocalKafka secured = LocalKafka.builder().dataDir(data).port(port).controllerPort(controllerPort)
                .startTimeout(Duration.ofSeconds(120)).security(files.brokerSecurity(KafkaAuthIT.NAMES)).build()
                .start();
        try {
            send(secured.bootstrapServers(), KafkaClientSecurity.apply(new Properties(),
                    files.file(KafkaRole.COLLECTOR)), "after");
            Properties admin = KafkaClientSecurity.apply(new Properties(), files.file(KafkaRole.ADMIN));
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, secured.bootstrapServers());
            try (Admin a = Admin.create(admin)) {
                TopicPartition tp = new TopicPartition("chip-samples", 0);
                long end = a.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                        .get(30, TimeUnit.SECONDS).offset();
                assertThat(end).as("the record written before, and the one after").isEqualTo(2);
            }
        } finally {
            secured.stop();
        }
    }

    private static void send(String bootstrap, Properties security, String value) throws Exception {
        Properties p = new Properties();
        p.putAll(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("chip-samples", "chip-0", value)).get(30, TimeUnit.SECONDS);
        }
    }
}
