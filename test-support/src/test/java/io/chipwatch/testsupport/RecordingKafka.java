package io.chipwatch.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link KafkaService} without a broker, for unit tests: it records the topics it is asked to create. */
final class RecordingKafka implements KafkaService {
    /** Topic name → partitions, in creation order. */
    final Map<String, Integer> created = new LinkedHashMap<>();

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:9";
    }

    @Override
    public void createTopic(String name, int partitions) {
        created.put(name, partitions);
    }

    @Override
    public void stop() {
    }

    @Override
    public void start() {
    }
}
