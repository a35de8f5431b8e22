package io.chipwatch.testsupport;

import io.chipwatch.infra.KafkaAdmin;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Map;

/**
 * A Kafka broker in a container ({@value #IMAGE}, KRaft, one node). Its port is bound to a fixed host port picked
 * at start, so that a {@link #stop()} and {@link #start()} of the same container (a Docker stop and start, which
 * keeps its file system and so its data) come back at the same {@link #bootstrapServers()}: with a random
 * mapping Docker may pick another port, while the broker keeps advertising the first one.
 */
final class ContainerKafkaService extends ContainerService implements ManagedKafka {

    static final String IMAGE = "apache/kafka:4.2.0";
    private static final int KAFKA_PORT = 9092;

    private final String bootstrapServers;

    private ContainerKafkaService(KafkaContainer container) {
        super(container);
        this.bootstrapServers = container.getBootstrapServers();
    }

    static ContainerKafkaService launch() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE))
                // The same behaviour as the local broker, so a test passes or fails the same way in both.
                .withEnv("KAFKA_NUM_PARTITIONS", "4")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_HEAP_OPTS", "-Xmx512m");
        return new ContainerKafkaService(startOnFreeHostPort(container, KAFKA_PORT));
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopic(String name, int partitions) {
        KafkaAdmin.createTopics(bootstrapServers, Map.of(name, partitions));
    }

    @Override
    protected void awaitReady() {
        KafkaAdmin.awaitReady(bootstrapServers, Duration.ofSeconds(60));
    }

    @Override
    public String toString() {
        return "Kafka container " + bootstrapServers;
    }
}
