package io.chipwatch.jobs.functions;

import static io.chipwatch.jobs.functions.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.model.wire.ChipSampleCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleTimestampsTest {
    private static final long NOW = 1_700_000_000_000L;
    private final SampleTimestamps timestamps = new SampleTimestamps(new SampleValidator(
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofMinutes(5), Duration.ofDays(7), 0));

    @Test
    void eventTimeIsTheSampleTimeNotTheKafkaTime() {
        byte[] value = new ChipSampleCodec().encode(sample("c1", 1_700_000_000_123L, null, 1, 2, 3));

        assertThat(timestamps.extractTimestamp(record(value), 99L)).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void undecodableRecordNeverMovesTheWatermark() {
        assertThat(timestamps.extractTimestamp(record(new byte[]{(byte) 0xC7, 1, 0x7F}), 99L)).isEqualTo(Long.MIN_VALUE);
        assertThat(timestamps.extractTimestamp(record(null), 99L)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void sampleStampedFarInTheFutureOrPastNeverMovesTheWatermark() {
        ChipSampleCodec codec = new ChipSampleCodec();
        long future = NOW + Duration.ofMinutes(5).toMillis() + 1;
        long past = NOW - Duration.ofDays(7).toMillis() - 1;
        assertThat(timestamps.extractTimestamp(record(codec.encode(sample("c1", future, null, 1, 2, 3))), 99L))
                .isEqualTo(Long.MIN_VALUE);
        assertThat(timestamps.extractTimestamp(record(codec.encode(sample("c1", past, null, 1, 2, 3))), 99L))
                .isEqualTo(Long.MIN_VALUE);
        // Values are DecodeSamples' business: an out-of-range sample with a good timestamp keeps its event time.
        assertThat(timestamps.extractTimestamp(record(codec.encode(sample("c1", NOW, null, 500, 2, 3))), 99L))
                .isEqualTo(NOW);
    }

    @Test
    void readsOnlyTheTimestampAndAgreesWithTheCodec() {
        ChipSampleCodec codec = new ChipSampleCodec();
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            long ts = i < 10 ? new long[]{0, 1, -1, 63, 64, -65, Long.MAX_VALUE, Long.MIN_VALUE + 1, NOW, 1L << 42}[i]
                    : random.nextLong();
            assertThat(SampleTimestamps.peekTimestamp(codec.encode(sample("c1", ts, null, 1, 2, 3)))).isEqualTo(ts);
        }
        byte[] valid = codec.encode(sample("c1", NOW, null, 1, 2, 3));
        byte[] version2 = valid.clone();
        version2[1] = 2;
        assertThat(SampleTimestamps.peekTimestamp(version2)).isEqualTo(Long.MIN_VALUE);
        assertThat(SampleTimestamps.peekTimestamp(Arrays.copyOf(valid, 4))).isEqualTo(Long.MIN_VALUE);
        assertThat(SampleTimestamps.peekTimestamp(new byte[]{(byte) 0xC7, 1})).isEqualTo(Long.MIN_VALUE);
        assertThat(SampleTimestamps.peekTimestamp(new byte[]{1, 1, 2})).isEqualTo(Long.MIN_VALUE);
    }

    private static RawRecord record(byte[] value) {
        return new RawRecord("t", 0, 0, 99L, null, value);
    }
}
