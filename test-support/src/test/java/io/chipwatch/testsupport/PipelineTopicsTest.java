package io.chipwatch.testsupport;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTopicsTest {

    @Test
    void createsTheSamplesTopicAndItsDeadLetterTopicWithUniqueNames() {
        RecordingKafka kafka = new RecordingKafka();
        PipelineTopics run = PipelineTopics.create(kafka, "rollup", 3);

        assertTrue(run.topic().startsWith("rollup_samples_"), run.topic());
        assertEquals(run.topic() + "-dead-letter", run.deadLetterTopic());
        assertTrue(run.database().startsWith("rollup_telemetry_"), run.database());
        assertEquals(Map.of(run.topic(), 3, run.deadLetterTopic(), 1), kafka.created);

        assertNotEquals(run.topic(), PipelineTopics.create(kafka, "rollup", 3).topic());
    }
}
