package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.chipwatch.jobs.functions.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;

class DecodeSamplesTest {
    private static final byte[] KEY = "c1".getBytes(StandardCharsets.UTF_8);

    private final ChipSampleCodec codec = new ChipSampleCodec();
    private final DecodeSamples decode = new DecodeSamples();
    private OneInputStreamOperatorTestHarness<RawRecord, ChipSample> harness;
    private long nextOffset;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(decode);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void decodesAValidRecordIntoTheMainOutput() throws Exception {
        ChipSample sample = sample("c1", 1_000L, "job-1", 50.0, 60.0, 300.0);

        harness.processElement(record(codec.encode(sample)), 5L);

        assertThat(harness.extractOutputValues()).containsExactly(sample);
        assertThat(harness.getSideOutput(DecodeSamples.DEAD_LETTERS)).isNull();
        assertThat(Arrays.stream(DeadLetter.Reason.values()).mapToLong(r -> decode.deadLetterCounter(r).getCount()))
                .containsOnly(0L);
    }

    @Test
    void emptyValueIsADeadLetter() throws Exception {
        assertDeadLetter(new byte[0], DeadLetter.Reason.EMPTY);
    }

    @Test
    void tombstoneIsADeadLetterWithAnEmptyValue() throws Exception {
        assertDeadLetter(null, DeadLetter.Reason.EMPTY);
    }

    @Test
    void foreignBytesAreADeadLetter() throws Exception {
        assertDeadLetter("{\"chip\":\"c1\"}".getBytes(StandardCharsets.UTF_8), DeadLetter.Reason.BAD_MAGIC);
    }

    @Test
    void unknownSchemaVersionIsADeadLetter() throws Exception {
        byte[] bytes = codec.encode(sample("c1", 1_000L, null, 1, 2, 3));
        bytes[1] = 9;
        assertDeadLetter(bytes, DeadLetter.Reason.UNKNOWN_VERSION);
    }

    @Test
    void truncatedBodyIsADeadLetter() throws Exception {
        byte[] bytes = codec.encode(sample("c1", 1_000L, null, 1, 2, 3));
        assertDeadLetter(Arrays.copyOf(bytes, bytes.length / 2), DeadLetter.Reason.MALFORMED_BODY);
    }

    @Test
    void trailingBytesAreADeadLetter() throws Exception {
        byte[] bytes = codec.encode(sample("c1", 1_000L, null, 1, 2, 3));
        assertDeadLetter(Arrays.copyOf(bytes, bytes.length + 1), DeadLetter.Reason.TRAILING_BYTES);
    }

    @Test
    void nonFiniteMeasurementIsADeadLetter() throws Exception {
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, Double.NaN, 2, 3)), DeadLetter.Reason.INVALID_SAMPLE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 1, Double.POSITIVE_INFINITY, 3)),
                DeadLetter.Reason.INVALID_SAMPLE);
    }

    @Test
    void goodRecordsAfterBadOnesStillFlowAndEachReasonIsCountedSeparately() throws Exception {
        ChipSample first = sample("c1", 1_000L, null, 1, 2, 3);
        ChipSample second = sample("c1", 2_000L, null, 4, 5, 6);

        harness.processElement(record(new byte[0]), 1L);
        harness.processElement(record(codec.encode(first)), 2L);
        harness.processElement(record(new byte[]{1, 2, 3}), 3L);
        harness.processElement(record(new byte[]{1}), 4L);
        harness.processElement(record(codec.encode(second)), 5L);

        assertThat(harness.extractOutputValues()).containsExactly(first, second);
        assertThat(decode.deadLetterCounter(DeadLetter.Reason.EMPTY).getCount()).isEqualTo(1);
        assertThat(decode.deadLetterCounter(DeadLetter.Reason.BAD_MAGIC).getCount()).isEqualTo(2);
        assertThat(decode.deadLetterCounter(DeadLetter.Reason.MALFORMED_BODY).getCount()).isZero();
    }

    private void assertDeadLetter(byte[] value, DeadLetter.Reason reason) throws Exception {
        long countBefore = decode.deadLetterCounter(reason).getCount();
        RawRecord record = record(value);

        harness.processElement(record, 42L);

        assertThat(harness.extractOutputValues()).isEmpty();
        List<StreamRecord<DeadLetter>> letters = List.copyOf(harness.getSideOutput(DecodeSamples.DEAD_LETTERS));
        DeadLetter letter = letters.get(letters.size() - 1).getValue();
        assertThat(letter.reason()).isEqualTo(reason);
        assertThat(letter.message()).isNotBlank();
        assertThat(letter.value()).isEqualTo(value == null ? new byte[0] : value);
        assertThat(letter.key()).isEqualTo(KEY);
        assertThat(letter.topic()).isEqualTo("chip-samples");
        assertThat(letter.partition()).isEqualTo(3);
        assertThat(letter.offset()).isEqualTo(record.offset());
        assertThat(decode.deadLetterCounter(reason).getCount()).isEqualTo(countBefore + 1);
    }

    private RawRecord record(byte[] value) {
        return new RawRecord("chip-samples", 3, 100 + nextOffset++, 7L, KEY, value);
    }
}
