package io.chipwatch.cli.bench;

import io.chipwatch.cli.stack.InfluxQueries;
import org.influxdb.dto.QueryResult;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end freshness: how old a sample is when the pipeline's result for it can be read from InfluxDB. Polls the
 * {@code cluster} measurement (one point per 10-second window, written when the window's whole roll-up cascade has
 * fired, so after the window's chip points) and notes when each window's point is first readable. A window
 * {@code [w, w+10 s)} holds one sample a chip a second, taken at {@code w}, {@code w+1 s}, …, {@code w+9 s}; a
 * sample taken at {@code t} was {@code seen - t} old when its window became readable. The poll period bounds the
 * error (it adds up to one period).
 */
final class FreshnessProbe implements AutoCloseable {
    private final InfluxQueries influx;
    private final Duration window;
    private final Duration samplePeriod;
    private final Clock clock;
    private final long fromMillis;
    private volatile boolean firstPoll = true;
    /** Window start (ms) → wall time (ms) its cluster point was first read. */
    private final Map<Long, Long> firstSeen = new ConcurrentSkipListMap<>();
    /** Windows readable at the first poll. */
    private final Set<Long> before = new HashSet<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-freshness");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts polling every {@code poll}; windows already readable at the first poll are ignored (they became
     * readable before polling began, at a time nobody saw).
     */
    FreshnessProbe(InfluxQueries influx, Duration window, Duration samplePeriod, Duration poll, Clock clock) {
        this.influx = influx;
        this.window = window;
        this.samplePeriod = samplePeriod;
        this.clock = clock;
        // Windows from a minute back: those already readable now are noted at the first poll, and left out.
        this.fromMillis = clock.millis() - Duration.ofMinutes(1).toMillis();
        poller.scheduleWithFixedDelay(this::poll, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            QueryResult r = influx.query("SELECT \"chips_reporting\" FROM \"cluster\" WHERE time >= "
                    + fromMillis + "ms", TimeUnit.MILLISECONDS);
            long now = clock.millis();
            var first = r.getResults().get(0);
            if (first.getError() != null || first.getSeries() == null) {
                return;
            }
            for (QueryResult.Series s : first.getSeries()) {
                for (List<Object> row : s.getValues()) {
                    long window = ((Number) row.get(0)).longValue();
                    if (firstPoll) {
                        before.add(window);
                    } else if (!before.contains(window)) {
                        firstSeen.putIfAbsent(window, now);
                    }
                }
            }
            firstPoll = false;
        } catch (RuntimeException e) {
            // A slow or failed query is a missed poll, not a failed benchmark: the next one catches up.
        }
    }

    /** Windows seen so far. */
    int windows() {
        return firstSeen.size();
    }

    /** Ages in seconds of every sample of the windows seen so far (one per sample period of each window). */
    List<Double> ages() {
        List<Double> ages = new ArrayList<>();
        long step = samplePeriod.toMillis();
        for (Map.Entry<Long, Long> e : firstSeen.entrySet()) {
            for (long t = e.getKey(); t < e.getKey() + window.toMillis(); t += step) {
                ages.add((e.getValue() - t) / 1000.0);
            }
        }
        return ages;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
