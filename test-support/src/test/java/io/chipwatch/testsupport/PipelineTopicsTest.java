package io.chipwatch.testsupport;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTopicsTest {

    /** Records the topics created, as a broker would hold them. */
    private static final class RecordingKafka implements KafkaService {
        final Map<String, Integer> topics = new LinkedHashMap<>();

        @Override
        public String bootstrapServers() {
            return "localhost:9092";
        }

        @Override
        public void createTopic(String name, int partitions) {
            topics.put(name, partitions);
        }

        @Override
        public void stop() {
        }

        @Override
        public void start() {
        }
    }

    @Test
    void createsTheSamplesTopicAndItsDeadLetterTopicWithUniqueNames() {
        RecordingKafka kafka = new RecordingKafka();
        PipelineTopics run = PipelineTopics.create(kafka, "rollup", 3);

        assertTrue(run.topic().startsWith("rollup_samples_"), run.topic());
        assertEquals(run.topic() + "-dead-letter", run.deadLetterTopic());
        assertTrue(run.database().startsWith("rollup_telemetry_"), run.database());
        assertEquals(Map.of(run.topic(), 3, run.deadLetterTopic(), 1), kafka.topics);

        assertNotEquals(run.topic(), PipelineTopics.create(kafka, "rollup", 3).topic());
    }
}
