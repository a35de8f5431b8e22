package io.chipwatch.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class TickWatermarksTest {
    private long nanos;
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
        }

        @Override
        public void markActive() {
        }
    };
    private final TickWatermarks<String> generator =
            new TickWatermarks<>(Duration.ofMillis(400), Duration.ofMillis(150), () -> nanos);

    private void advanceMillis(long ms) {
        nanos += ms * 1_000_000;
    }

    /** A burst of one tick's samples, 10 ms apart. */
    private void burst(long tick, int samples) {
        for (int i = 0; i < samples; i++) {
            generator.onEvent("s", tick, output);
            advanceMillis(10);
            generator.onPeriodicEmit(output);
        }
    }

    @Test
    void whileATicksBurstArrivesTheWatermarkTrailsByTheOutOfOrderness() {
        burst(1_000, 5);
        assertThat(emitted).containsExactly(599L);
    }

    @Test
    void aQuietPartitionsNewestTickIsCompleteAtOnce() {
        burst(1_000, 5);
        advanceMillis(100);
        generator.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(599L);
        advanceMillis(60);
        generator.onPeriodicEmit(output);
        // 150 ms without a record after the burst: tick 1000 is complete, before tick 2000 arrives.
        assertThat(emitted).containsExactly(599L, 1_000L);
    }

    @Test
    void theWatermarkNeverGoesBackWhenTheNextBurstStarts() {
        burst(1_000, 3);
        advanceMillis(200);
        generator.onPeriodicEmit(output);
        burst(1_100, 3);
        // 1100 - 401 = 699 is behind 1000: nothing emitted until the bounded rule passes the quiet one.
        assertThat(emitted).containsExactly(599L, 1_000L);
        burst(2_000, 1);
        assertThat(emitted).containsExactly(599L, 1_000L, 1_599L);
    }

    @Test
    void nothingIsEmittedBeforeTheFirstRecord() {
        advanceMillis(1_000);
        generator.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
    }

    @Test
    void aQuietOfZeroIsRefused() {
        assertThatThrownBy(() -> new TickWatermarks<String>(Duration.ZERO, Duration.ZERO, System::nanoTime))
                .hasMessageContaining("tickQuiet");
    }
}
