package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import io.chipwatch.jobs.source.kafka.RawRecordKey;
import io.chipwatch.model.wire.WireFormatException;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static io.chipwatch.jobs.functions.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;

class DecodeSamplesTest {
    private static final byte[] KEY = "c1".getBytes(StandardCharsets.UTF_8);

    private final ChipSampleCodec codec = new ChipSampleCodec();
    /** The job's clock in these tests: samples at 1-2 s are recent. */
    static final long NOW = 60_000L;
    static final SampleValidator ANY_CHIP = new SampleValidator(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
            Duration.ofMinutes(5), Duration.ofDays(7), 0);

    private DecodeSamples decode = new DecodeSamples(ANY_CHIP);
    private KeyedOneInputStreamOperatorTestHarness<String, RawRecord, ChipSample> harness;
    private long nextOffset;

    @BeforeEach
    void open() throws Exception {
        harness = harness(decode);
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
        assertThat(Arrays.stream(DeadLetter.Reason.values()).filter(r -> r != DeadLetter.Reason.LATE)
                .mapToLong(r -> decode.deadLetterCounter(r).getCount())).containsOnly(0L);
    }

    @Test
    void emptyValueIsADeadLetter() throws Exception {
        assertDeadLetter(new byte[0], DeadLetter.Reason.EMPTY);
    }

    @Test
    void tombstoneIsADeadLetterWithAnEmptyValue() throws Exception {
        assertDeadLetter((byte[]) null, DeadLetter.Reason.EMPTY);
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
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, Double.NaN, 2, 3)), DeadLetter.Reason.NON_FINITE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 1, Double.POSITIVE_INFINITY, 3)),
                DeadLetter.Reason.NON_FINITE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 1, 2, Double.NEGATIVE_INFINITY)),
                DeadLetter.Reason.NON_FINITE);
        assertDeadLetter(codec.encode(withLatency(Double.NaN)), DeadLetter.Reason.NON_FINITE);
    }

    @Test
    void measurementOutsideItsPhysicalRangeIsADeadLetter() throws Exception {
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 100.5, 40, 300)), DeadLetter.Reason.OUT_OF_RANGE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, -0.5, 40, 300)), DeadLetter.Reason.OUT_OF_RANGE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 50, 150.5, 300)), DeadLetter.Reason.OUT_OF_RANGE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 50, -41, 300)), DeadLetter.Reason.OUT_OF_RANGE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 50, 40, -1)), DeadLetter.Reason.OUT_OF_RANGE);
        assertDeadLetter(codec.encode(sample("c1", 1_000L, null, 50, 40, 2000.5)), DeadLetter.Reason.OUT_OF_RANGE);
        assertDeadLetter(codec.encode(withLatency(-0.001)), DeadLetter.Reason.OUT_OF_RANGE);
        assertDeadLetter(codec.encode(withLatency(1_000_001)), DeadLetter.Reason.OUT_OF_RANGE);
    }

    @Test
    void theEdgesOfThePhysicalRangesAreValid() throws Exception {
        ChipSample low = new ChipSample(1_000L, "c1", "n1", "r1", "p1", null, 0, -40, 0,
                List.of(new LinkLatency("l", "p", LinkKind.INTRA, 0)));
        ChipSample high = new ChipSample(2_000L, "c1", "n1", "r1", "p1", null, 100, 150, 2000,
                List.of(new LinkLatency("l", "p", LinkKind.INTRA, 1_000_000)));

        harness.processElement(record(codec.encode(low)), 1L);
        harness.processElement(record(codec.encode(high)), 2L);

        assertThat(harness.extractOutputValues()).containsExactly(low, high);
    }

    @Test
    void timestampsFarInTheFutureOrOlderThanTheRetentionAreDeadLetters() throws Exception {
        long fiveMinutes = Duration.ofMinutes(5).toMillis();
        assertDeadLetter(codec.encode(sample("c1", NOW + fiveMinutes + 1, null, 1, 2, 3)),
                DeadLetter.Reason.FUTURE_TIMESTAMP);
        harness.processElement(record(codec.encode(sample("c1", NOW + fiveMinutes, null, 1, 2, 3))), 1L);
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.close();
        long now = Duration.ofDays(30).toMillis();
        decode = new DecodeSamples(new SampleValidator(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC),
                Duration.ofMinutes(5), Duration.ofDays(7), 0));
        harness = harness(decode);
        assertDeadLetter(codec.encode(sample("c1", now - Duration.ofDays(7).toMillis() - 1, null, 1, 2, 3)),
                DeadLetter.Reason.STALE_TIMESTAMP);
    }

    @Test
    void chipOutsideTheGivenTopologyIsADeadLetter() throws Exception {
        harness.close();
        decode = new DecodeSamples(new SampleValidator(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                Duration.ofMinutes(5), Duration.ofDays(7), 16));
        harness = harness(decode);
        ChipSample known = new ChipSample(1_000L, "p00-r00-n01-c07", "p00-r00-n01", "p00-r00", "p00", null, 1, 2, 3,
                List.of());

        assertDeadLetter(codec.encode(new ChipSample(1_000L, "p00-r00-n02-c00", "p00-r00-n02", "p00-r00", "p00", null,
                1, 2, 3, List.of())), DeadLetter.Reason.UNKNOWN_CHIP);
        harness.processElement(record(codec.encode(known)), 1L);
        assertThat(harness.extractOutputValues()).containsExactly(known);
    }

    @Test
    void sampleWhoseChipIsNotItsRecordKeyIsADeadLetter() throws Exception {
        byte[] value = codec.encode(sample("c1", 1_000L, null, 1, 2, 3));
        assertDeadLetter(record(value, "c2".getBytes(StandardCharsets.UTF_8)), DeadLetter.Reason.KEY_MISMATCH);
        assertDeadLetter(record(value, null), DeadLetter.Reason.KEY_MISMATCH);
    }

    @Test
    void blankIdIsADeadLetter() throws Exception {
        assertDeadLetter(codec.encode(new ChipSample(1_000L, " ", "n1", "r1", "p1", null, 1, 2, 3, List.of())),
                DeadLetter.Reason.MISSING_ID);
        assertDeadLetter(codec.encode(new ChipSample(1_000L, "c1", "n1", "", "p1", null, 1, 2, 3, List.of())),
                DeadLetter.Reason.MISSING_ID);
    }

    @Test
    void everyReasonButLateHasACounterFromTheStart() {
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            if (reason != DeadLetter.Reason.LATE) {
                assertThat(decode.deadLetterCounter(reason).getCount()).as(reason.label()).isZero();
            }
        }
    }

    private static ChipSample withLatency(double latencyUs) {
        return new ChipSample(1_000L, "c1", "n1", "r1", "p1", null, 1, 2, 3,
                List.of(new LinkLatency("l1", "c2", LinkKind.INTRA, 4.0), new LinkLatency("l2", "sw", LinkKind.FABRIC, latencyUs)));
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
        assertDeadLetter(record(value), reason);
    }

    private void assertDeadLetter(RawRecord record, DeadLetter.Reason reason) throws Exception {
        byte[] value = record.value();
        long countBefore = decode.deadLetterCounter(reason).getCount();

        harness.processElement(record, 42L);

        assertThat(harness.extractOutputValues()).isEmpty();
        List<StreamRecord<DeadLetter>> letters = List.copyOf(harness.getSideOutput(DecodeSamples.DEAD_LETTERS));
        DeadLetter letter = letters.get(letters.size() - 1).getValue();
        assertThat(letter.reason()).isEqualTo(reason);
        assertThat(letter.message()).isNotBlank();
        assertThat(letter.value()).isEqualTo(value == null ? new byte[0] : value);
        assertThat(letter.key()).isEqualTo(record.key());
        assertThat(letter.topic()).isEqualTo("chip-samples");
        assertThat(letter.partition()).isEqualTo(3);
        assertThat(letter.offset()).isEqualTo(record.offset());
        assertThat(decode.deadLetterCounter(reason).getCount()).isEqualTo(countBefore + 1);
    }

    /** A record keyed, as producers key them, by its sample's chip ("c1" when the value does not decode). */
    private RawRecord record(byte[] value) {
        byte[] key = KEY;
        try {
            key = codec.decode(value).chip().getBytes(StandardCharsets.UTF_8);
        } catch (WireFormatException | RuntimeException e) {
            // not a sample: keep the default key
        }
        return record(value, key);
    }

    private RawRecord record(byte[] value, byte[] key) {
        return new RawRecord("chip-samples", 3, 100 + nextOffset++, 7L, key, value);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RawRecord, ChipSample> harness(DecodeSamples decode)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(decode, new RawRecordKey(), Types.STRING);
    }
}
