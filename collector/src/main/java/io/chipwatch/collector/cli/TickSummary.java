package io.chipwatch.collector.cli;

import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.publish.SampleBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** The collector's log summary: accumulates per-tick figures and logs them as one line every 10 s. */
final class TickSummary {
    /** Under the command's logger name, where operators have always found these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(CollectorCommand.class);
    private static final long SUMMARY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int chips;
    private final KafkaSamplePublisher publisher;
    private final SampleBuffer buffer;
    private long windowStartNanos = System.nanoTime();
    private long ticks;
    private long skipped;
    private long totalNanos;
    private long maxNanos;
    private long lastSent;
    private long lastFailed;

    TickSummary(int chips, KafkaSamplePublisher publisher, SampleBuffer buffer) {
        this.chips = chips;
        this.publisher = publisher;
        this.buffer = buffer;
    }

    void onTick(long durationNanos, long skippedTicks) {
        ticks++;
        skipped += skippedTicks;
        totalNanos += durationNanos;
        maxNanos = Math.max(maxNanos, durationNanos);
        long now = System.nanoTime();
        if (now - windowStartNanos < SUMMARY_INTERVAL_NANOS) {
            return;
        }
        long sent = publisher.sent();
        long failed = publisher.failed();
        LOG.info("{} chips: {} ticks in {} s (tick avg {} ms, max {} ms), skipped {}; sent {} (+{}), "
                        + "acknowledged {}, failed {} (+{}), dropped {}, buffered {}", chips, ticks,
                TimeUnit.NANOSECONDS.toSeconds(now - windowStartNanos),
                TimeUnit.NANOSECONDS.toMillis(totalNanos / ticks), TimeUnit.NANOSECONDS.toMillis(maxNanos),
                skipped, sent, sent - lastSent, publisher.acknowledged(), failed, failed - lastFailed,
                buffer.dropped(), buffer.buffered());
        lastSent = sent;
        lastFailed = failed;
        windowStartNanos = now;
        ticks = 0;
        skipped = 0;
        totalNanos = 0;
        maxNanos = 0;
    }
}
