package io.chipwatch.collector.publish;

import io.chipwatch.model.sample.ChipSample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SampleBufferTest {
    private static final ChipSample SAMPLE = new ChipSample(1, "c", "n", "r", "p", null, 0, 30, 90, List.of());

    @Test
    void aStuckDownstreamNeitherBlocksTheLoopNorLosesCountAndTheBufferRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong delivered = new AtomicLong();
        try (SampleBuffer buffer = new SampleBuffer(s -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.incrementAndGet();
        }, 10_000)) {
            long start = System.nanoTime();
            for (int tick = 0; tick < 10; tick++) {
                for (int i = 0; i < 4_000; i++) {
                    buffer.accept(SAMPLE);
                }
                buffer.endTick();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("never waits").isLessThan(500);
            assertThat(buffer.offered()).isEqualTo(40_000);
            assertThat(buffer.buffered()).isLessThanOrEqualTo(10_000);
            assertThat(buffer.dropped()).isGreaterThanOrEqualTo(30_000 - 2_048);
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (buffer.buffered() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(buffer.buffered()).isZero();
            assertThat(delivered.get() + buffer.dropped()).isEqualTo(40_000);
            // Space again: the next tick goes through whole.
            for (int i = 0; i < 4_000; i++) {
                buffer.accept(SAMPLE);
            }
            buffer.endTick();
            long dropped = buffer.dropped();
            buffer.close(5_000);
            assertThat(buffer.dropped()).isEqualTo(dropped);
            assertThat(delivered.get() + buffer.dropped()).isEqualTo(44_000);
        }
    }
}
