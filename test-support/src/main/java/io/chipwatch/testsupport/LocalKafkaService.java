package io.chipwatch.testsupport;

import io.chipwatch.infra.LocalKafka;

import java.nio.file.Path;
import java.time.Duration;

/** A {@link LocalKafka} broker in a temporary folder, attached to this JVM; closing it deletes the folder. */
final class LocalKafkaService extends LocalService<LocalKafka> implements ManagedKafka {

    private LocalKafkaService(Path dir, LocalKafka kafka) {
        super(dir, kafka);
    }

    static LocalKafkaService launch() {
        Path dir = TempDirs.create("chipwatch-kafka-");
        // Generous: on a 2-core machine busy with other builds a broker took 17 s to start.
        return started(new LocalKafkaService(dir,
                LocalKafka.builder().dataDir(dir).startTimeout(Duration.ofSeconds(120)).build()));
    }

    @Override
    public String bootstrapServers() {
        return server.bootstrapServers();
    }

    @Override
    public void createTopic(String name, int partitions) {
        server.createTopic(name, partitions);
    }

    @Override
    public String toString() {
        return "local Kafka " + server.bootstrapServers();
    }
}
