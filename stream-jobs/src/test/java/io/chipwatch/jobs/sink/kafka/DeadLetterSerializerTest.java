package io.chipwatch.jobs.sink.kafka;

import io.chipwatch.jobs.datatypes.DeadLetter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterSerializerTest {
    @Test
    void keepsKeyAndValueBytesAndPutsTheReasonAndSourceInHeaders() {
        byte[] key = "c7".getBytes(StandardCharsets.UTF_8);
        byte[] value = {(byte) 0xC7, 1, 2};
        DeadLetter letter = new DeadLetter(DeadLetter.Reason.MALFORMED_BODY, "truncated", key, value,
                "chip-samples", 4, 1234L);

        ProducerRecord<byte[], byte[]> record = new DeadLetterSerializer("dlq").serialize(letter, null, 99L);

        assertThat(record.topic()).isEqualTo("dlq");
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(header(record, DeadLetterSerializer.REASON)).isEqualTo("MALFORMED_BODY");
        assertThat(header(record, DeadLetterSerializer.MESSAGE)).isEqualTo("truncated");
        assertThat(header(record, DeadLetterSerializer.SOURCE_TOPIC)).isEqualTo("chip-samples");
        assertThat(header(record, DeadLetterSerializer.SOURCE_PARTITION)).isEqualTo("4");
        assertThat(header(record, DeadLetterSerializer.SOURCE_OFFSET)).isEqualTo("1234");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
