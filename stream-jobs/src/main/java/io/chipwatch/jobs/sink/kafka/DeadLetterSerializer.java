package io.chipwatch.jobs.sink.kafka;

import io.chipwatch.jobs.datatypes.DeadLetter;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes a {@link DeadLetter} to the dead-letter topic: the original key and value bytes unchanged (so the
 * record can be replayed as is), and what went wrong in headers.
 *
 * <p>Headers: {@value #REASON} ({@link DeadLetter.Reason} name), {@value #MESSAGE}, {@value #SOURCE_TOPIC},
 * {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}; all UTF-8 strings.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    /** Header naming the {@link DeadLetter.Reason}. */
    public static final String REASON = "reason";
    /** Header with the human-readable detail. */
    public static final String MESSAGE = "message";
    /** Header with the topic the record was read from. */
    public static final String SOURCE_TOPIC = "source.topic";
    /** Header with the partition the record was read from. */
    public static final String SOURCE_PARTITION = "source.partition";
    /** Header with the offset the record was read from. */
    public static final String SOURCE_OFFSET = "source.offset";

    private final String topic;

    /** Serializes into {@code topic}. */
    public DeadLetterSerializer(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, utf8(letter.reason().name()));
        headers.add(MESSAGE, utf8(letter.message()));
        if (letter.topic() != null) {
            headers.add(SOURCE_TOPIC, utf8(letter.topic()));
            headers.add(SOURCE_PARTITION, utf8(Integer.toString(letter.partition())));
            headers.add(SOURCE_OFFSET, utf8(Long.toString(letter.offset())));
        }
        // Keeping the original key keeps a chip's dead letters in one partition, in order. The timestamp is
        // left to the producer (time of rejection); the source position is in the headers.
        return new ProducerRecord<>(topic, null, null, letter.key(), letter.value(), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
