package io.chipwatch.testsupport;

import io.chipwatch.infra.LocalKafka;

import java.nio.file.Path;
import java.time.Duration;

/** A {@link LocalKafka} broker in a temporary folder, attached to this JVM; closing it deletes the folder. */
final class LocalKafkaService implements ManagedKafka {

    private final Path dir;
    private final LocalKafka kafka;

    private LocalKafkaService(Path dir, LocalKafka kafka) {
        this.dir = dir;
        this.kafka = kafka;
    }

    static LocalKafkaService launch() {
        Path dir = TempDirs.create("chipwatch-kafka-");
        // Generous: on a 2-core machine busy with other builds a broker took 17 s to start.
        LocalKafka kafka = LocalKafka.builder().dataDir(dir).startTimeout(Duration.ofSeconds(120)).build();
        try {
            kafka.start();
        } catch (RuntimeException e) {
            TempDirs.deleteQuietly(dir);
            throw e;
        }
        return new LocalKafkaService(dir, kafka);
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void createTopic(String name, int partitions) {
        kafka.createTopic(name, partitions);
    }

    @Override
    public void stop() {
        kafka.stop();
    }

    @Override
    public void start() {
        kafka.start();
    }

    @Override
    public boolean isRunning() {
        return kafka.isRunning();
    }

    @Override
    public void close() {
        kafka.close();
        TempDirs.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "local Kafka " + kafka.bootstrapServers();
    }
}
