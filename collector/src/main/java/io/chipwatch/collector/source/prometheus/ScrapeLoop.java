package io.chipwatch.collector.source.prometheus;

import io.chipwatch.collector.runtime.RealTimeSampler;
import io.chipwatch.collector.source.ProblemLog;
import io.chipwatch.collector.source.SourceDownTracker;
import io.chipwatch.collector.source.SourceMetrics;
import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.collector.source.SourceReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.sample.ChipSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The Prometheus scrape source: at every sampling interval, on the wall-clock grid (as the simulator's ticks, so
 * all targets' samples share a timestamp), re-reads the targets file if it changed, scrapes every target with at
 * most {@code concurrency} scrapes in flight and each bounded by the scrape timeout, and hands the chip samples
 * (stamped with the tick's time) to the sink. Problems are counted ({@link SourceMetrics}) and logged once per
 * target ({@link ProblemLog}); a target failing for long enough is a source-down event ({@link SourceDownTracker}).
 * Nothing a target sends can end the loop. When a round ends after the next slot, that slot is skipped.
 *
 * <p>{@link #run()} blocks until {@link #stop()}.
 */
public final class ScrapeLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

    private final TargetsFile targets;
    private final Scraper scraper;
    private final long intervalMillis;
    private final Duration timeout;
    private final Semaphore slots;
    private final SourceMetrics metrics;
    private final ProblemLog problemLog = new ProblemLog();
    private final SourceDownTracker down;
    private final Consumer<? super ChipSample> sink;
    private final Consumer<? super Anomaly> events;
    private final RealTimeSampler.TickListener listener;
    private final Object lock = new Object();
    private boolean stopping;

    /**
     * @param targets        the targets file
     * @param intervalMillis sampling interval
     * @param timeout        per scrape, at most the interval
     * @param concurrency    scrapes in flight at most
     * @param downAfter      how long a target fails before it is a source-down event
     * @param metrics        self-metrics
     * @param sink           every chip sample
     * @param events         source-down events (open, close)
     * @param listener       told after every round (samples handed over, its duration, slots skipped)
     */
    public ScrapeLoop(TargetsFile targets, long intervalMillis, Duration timeout, int concurrency, Duration downAfter,
                      SourceMetrics metrics, Consumer<? super ChipSample> sink, Consumer<? super Anomaly> events,
                      RealTimeSampler.TickListener listener) {
        if (timeout.toMillis() > intervalMillis || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("scrape timeout " + timeout.toMillis() + " ms must be positive and at "
                    + "most the interval (" + intervalMillis + " ms)");
        }
        this.targets = targets;
        this.intervalMillis = intervalMillis;
        this.timeout = timeout;
        this.scraper = new Scraper(timeout, Math.min(concurrency, 16));
        this.slots = new Semaphore(concurrency);
        this.down = new SourceDownTracker(downAfter);
        this.metrics = metrics;
        this.sink = sink;
        this.events = events;
        this.listener = listener;
    }

    @Override
    public void run() {
        try {
            long due = RealTimeSampler.alignUp(System.currentTimeMillis(), intervalMillis);
            while (await(due)) {
                long start = System.nanoTime();
                round(due);
                long duration = System.nanoTime() - start;
                long next = RealTimeSampler.alignUp(System.currentTimeMillis() + 1, intervalMillis);
                long skipped = Math.max(0, (next - due) / intervalMillis - 1);
                if (skipped > 0) {
                    LOG.warn("scrape round {} took {} ms; skipping {} slot(s)", due,
                            TimeUnit.NANOSECONDS.toMillis(duration), skipped);
                }
                listener.onTick(due, duration, skipped);
                due = next;
            }
        } finally {
            scraper.close();
        }
    }

    /** One round at {@code due}; returns the samples handed to the sink. */
    int round(long due) {
        List<ScrapeTarget> now = targets.current();
        List<CompletableFuture<SourceReading>> futures = new ArrayList<>(now.size());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        for (ScrapeTarget t : now) {
            futures.add(start(t, due, deadline));
        }
        int samples = 0;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < now.size(); i++) {
            ScrapeTarget t = now.get(i);
            names.add(t.name());
            SourceReading r = result(futures.get(i), deadline);
            samples += handle(t, r);
        }
        down.retain(names, System.currentTimeMillis()).forEach(events);
        metrics.sources(names, down.down());
        return samples;
    }

    private CompletableFuture<SourceReading> start(ScrapeTarget t, long due, long deadlineNanos) {
        try {
            long wait = deadlineNanos - System.nanoTime();
            if (!slots.tryAcquire(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                return CompletableFuture.completedFuture(SourceReading.failed(SourceProblem.TIMEOUT,
                        "not scraped: every one of the concurrent scrapes was busy for the whole interval"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(SourceReading.failed(SourceProblem.TIMEOUT, "interrupted"));
        }
        return scraper.scrape(t, due).whenComplete((r, e) -> slots.release());
    }

    private SourceReading result(CompletableFuture<SourceReading> f, long deadlineNanos) {
        try {
            // The scrape completes within its timeout; the grace covers a scrape started late in the round.
            long wait = Math.max(deadlineNanos - System.nanoTime(), 0) + timeout.toNanos();
            return f.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return SourceReading.failed(SourceProblem.TIMEOUT, "no answer within the round");
        } catch (ExecutionException e) {
            return SourceReading.failed(SourceProblem.MALFORMED, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SourceReading.failed(SourceProblem.TIMEOUT, "interrupted");
        }
    }

    private int handle(ScrapeTarget t, SourceReading r) {
        boolean answered = !r.samples().isEmpty() || !r.chips().isEmpty()
                || r.problems().keySet().stream().noneMatch(ScrapeLoop::wholeFailure);
        metrics.onReading(t.name(), t.node(), r, answered);
        if (r.clean()) {
            problemLog.clean(t.name());
        } else {
            r.problems().keySet().forEach(p -> problemLog.report(t.name(), p, r.detail()));
        }
        SourceProblem first = r.problems().keySet().stream().findFirst().orElse(SourceProblem.MALFORMED);
        down.onReading(t.name(), new SourceDownTracker.Location(t.node(), t.rack(), t.pod()), answered, first,
                r.detail(), System.currentTimeMillis()).forEach(events);
        r.samples().forEach(sink);
        return r.samples().size();
    }

    /** A problem that means the target gave nothing usable at all. */
    private static boolean wholeFailure(SourceProblem p) {
        return p == SourceProblem.TIMEOUT || p == SourceProblem.UNREACHABLE || p == SourceProblem.HTTP_STATUS
                || p == SourceProblem.MALFORMED;
    }

    /** Waits until {@code due}; false when stopped. */
    private boolean await(long due) {
        synchronized (lock) {
            while (!stopping) {
                long wait = due - System.currentTimeMillis();
                if (wait <= 0) {
                    return true;
                }
                try {
                    lock.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    /** Ends {@link #run()} after the round in progress; safe from any thread. */
    public void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
    }
}
