package io.chipwatch.collector.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector's default send buffer: a minute of ticks, a floor for small clusters, a ceiling from the heap. */
class SendBufferSizeTest {
    private static final long GB = 1L << 30;

    @Test
    void sixtyTicksOfTheShardWhenTheHeapHoldsThem() {
        // 10,000 chips, the stack's 1 GB heap: 600,000 samples, ~250 MB.
        assertThat(CollectorCommand.defaultBufferSamples(10_000, GB)).isEqualTo(600_000);
    }

    @Test
    void aSmallClusterGetsTheFloor() {
        assertThat(CollectorCommand.defaultBufferSamples(80, GB)).isEqualTo(CollectorCommand.MIN_BUFFER_SAMPLES);
    }

    @Test
    void aLargeShardIsBoundedByFortyPercentOfTheHeap() {
        // 100,000 chips: sixty ticks would be 6 M samples, ~2.5 GB, more than the whole 1 GB heap.
        long capacity = CollectorCommand.defaultBufferSamples(100_000, GB);
        assertThat(capacity).isEqualTo(GB * 2 / 5 / CollectorCommand.HELD_SAMPLE_BYTES).isLessThan(6_000_000);
        assertThat(capacity * CollectorCommand.HELD_SAMPLE_BYTES).isLessThanOrEqualTo(GB / 2);
        assertThat(CollectorCommand.defaultBufferSamples(100_000, 8 * GB)).as("a bigger heap: sixty ticks")
                .isEqualTo(6_000_000);
    }
}
