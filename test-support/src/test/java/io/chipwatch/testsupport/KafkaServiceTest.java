package io.chipwatch.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaServiceTest {

    @Test
    void createUniqueTopicCreatesAFreshNameAndReturnsIt() {
        RecordingKafka kafka = new RecordingKafka();
        String first = kafka.createUniqueTopic("samples", 3);
        String second = kafka.createUniqueTopic("samples", 1);
        assertThat(first).matches("samples_\\d+_[a-z0-9]+").isNotEqualTo(second);
        assertThat(kafka.created).containsExactly(Map.entry(first, 3), Map.entry(second, 1));
    }
}
