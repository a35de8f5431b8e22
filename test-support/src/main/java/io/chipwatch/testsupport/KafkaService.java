package io.chipwatch.testsupport;

/**
 * A real Kafka broker a test talks to, from a container or a local process (the test cannot tell). Get one from
 * {@link TestInfrastructure} or as a parameter with {@link RealInfrastructureExtension}.
 *
 * <p>{@link #stop()} and {@link #start()} simulate an outage: afterwards the same {@link #bootstrapServers()}
 * works again and the records written before are still there. Only stop a {@link DedicatedKafka}: the shared
 * broker serves other tests of the same JVM.
 */
public interface KafkaService {

    /** "host:port" for the clients' {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Creates a topic with replication factor 1; does nothing if it exists already. */
    void createTopic(String name, int partitions);

    /** Creates a topic named {@link TestTopics#unique TestTopics.unique(prefix)} and returns that name. */
    default String createUniqueTopic(String prefix, int partitions) {
        String name = TestTopics.unique(prefix);
        createTopic(name, partitions);
        return name;
    }

    /** Stops the broker, keeping its data; does nothing if it is stopped. */
    void stop();

    /** Starts the broker again (same address, same data) and returns when it answers; no-op if it runs. */
    void start();
}
