package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.junit.jupiter.api.Test;

import static io.chipwatch.jobs.functions.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;

class SampleTimestampsTest {
    private final SampleTimestamps timestamps = new SampleTimestamps();

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

    private static RawRecord record(byte[] value) {
        return new RawRecord("t", 0, 0, 99L, null, value);
    }
}
