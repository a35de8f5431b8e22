package io.chipwatch.collector.publish;

import io.chipwatch.model.sample.ChipSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Decouples the sampling loop from Kafka: the loop hands samples over in chunks to a bounded buffer and never
 * waits; a sender thread drains the buffer into the publisher, which may block (broker down, producer buffer
 * full). When the buffer holds {@code capacity} samples, further chunks are dropped and counted. When the broker
 * comes back, the sender catches up by itself.
 *
 * <p>Counters: {@link #offered()} samples handed in, {@link #dropped()} samples dropped because the buffer was
 * full, {@link #buffered()} samples waiting now. The sampling thread calls {@link #accept} and {@link #endTick};
 * everything else is thread-safe.
 */
public final class SampleBuffer implements Consumer<ChipSample>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleBuffer.class);
    private static final int CHUNK = 2048;
    private static final List<ChipSample> POISON = new ArrayList<>();

    private final Consumer<? super ChipSample> downstream;
    private final long capacity;
    private final BlockingQueue<List<ChipSample>> queue;
    private final AtomicLong buffered = new AtomicLong();
    private final LongAdder offered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread sender;
    private List<ChipSample> chunk = new ArrayList<>(CHUNK);
    private volatile boolean closed;
    private long lastDropLogNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);

    /**
     * @param downstream receives every sample not dropped, on the sender thread
     * @param capacity   the most samples the buffer holds; at least one chunk (2048)
     */
    public SampleBuffer(Consumer<? super ChipSample> downstream, long capacity) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.capacity = Math.max(CHUNK, capacity);
        // The bound is on samples (buffered), not on chunks: a tick's last chunk is usually partial.
        this.queue = new LinkedBlockingQueue<>();
        this.sender = new Thread(this::drain, "sample-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Adds one sample; hands the chunk over when it is full. Never blocks. */
    @Override
    public void accept(ChipSample sample) {
        offered.increment();
        chunk.add(sample);
        if (chunk.size() >= CHUNK) {
            handOver();
        }
    }

    /** Hands over the samples of the tick that just ended, so that they go out now rather than with the next. */
    public void endTick() {
        if (!chunk.isEmpty()) {
            handOver();
        }
    }

    private void handOver() {
        List<ChipSample> full = chunk;
        chunk = new ArrayList<>(CHUNK);
        int n = full.size();
        if (closed || buffered.get() + n > capacity || !queue.offer(full)) {
            dropped.add(n);
            long now = System.nanoTime();
            if (now - lastDropLogNanos >= TimeUnit.SECONDS.toNanos(10)) {
                lastDropLogNanos = now;
                LOG.warn("send buffer full ({} samples waiting for Kafka): dropping samples, {} dropped so far",
                        buffered.get(), dropped.sum());
            }
            return;
        }
        buffered.addAndGet(n);
    }

    private void drain() {
        while (true) {
            List<ChipSample> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == POISON) {
                return;
            }
            for (ChipSample s : next) {
                try {
                    downstream.accept(s);
                } catch (RuntimeException e) {
                    LOG.warn("publishing a sample failed: {}", e.toString());
                }
            }
            buffered.addAndGet(-next.size());
        }
    }

    /** Samples handed in. */
    public long offered() {
        return offered.sum();
    }

    /** Samples dropped because the buffer was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Samples waiting in the buffer now. */
    public long buffered() {
        return buffered.get();
    }

    /** The most samples the buffer holds. */
    public long capacity() {
        return capacity;
    }

    /**
     * Hands over the last chunk, lets the sender drain what is buffered (waiting up to {@code timeoutMillis}),
     * then stops it. Idempotent.
     */
    public void close(long timeoutMillis) {
        if (closed) {
            return;
        }
        endTick();
        closed = true;
        try {
            queue.put(POISON);
            sender.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            LOG.warn("sender still busy after {} ms with {} samples; leaving it", timeoutMillis, buffered.get());
            sender.interrupt();
        }
    }

    @Override
    public void close() {
        close(10_000);
    }
}
