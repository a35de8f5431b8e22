package io.chipwatch.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaServiceTest {

    /** Records the topics it is asked to create. */
    private static final class RecordingKafka implements KafkaService {
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

    @Test
    void createUniqueTopicCreatesAFreshNameAndReturnsIt() {
        RecordingKafka kafka = new RecordingKafka();
        String first = kafka.createUniqueTopic("samples", 3);
        String second = kafka.createUniqueTopic("samples", 1);
        assertThat(first).matches("samples_\\d+_[a-z0-9]+").isNotEqualTo(second);
        assertThat(kafka.created).containsExactly(Map.entry(first, 3), Map.entry(second, 1));
    }
}
