package io.chipwatch.collector.source.smi;

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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The nvidia-smi source of one node: reads {@code nvidia-smi --query-gpu=index,uuid,utilization.gpu,temperature.gpu,
 * power.draw --format=csv,noheader,nounits -l 1} output from standard input ({@code --nvidia-smi -}) or from a command
 * it runs with {@code /bin/sh -c} (restarted 5 s after it exits), and publishes each round's samples
 * ({@link SmiRounds}). No line for three intervals counts as a timeout of the source; for {@code downAfter} it is a
 * source-down event, as for a scrape target. At the end of standard input the loop ends.
 */
public final class SmiLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SmiLoop.class);
    private static final long RESTART_MILLIS = 5_000;

    private final String command;
    private final InputStream stdin;
    private final String name;
    private final SmiRounds rounds;
    private final SourceDownTracker.Location where;
    private final long intervalMillis;
    private final SourceMetrics metrics;
    private final ProblemLog problemLog = new ProblemLog();
    private final SourceDownTracker down;
    private final Consumer<? super ChipSample> sink;
    private final Consumer<? super Anomaly> events;
    private final RealTimeSampler.TickListener listener;
    private volatile boolean stopping;
    private volatile Process process;
    private volatile long lastLineMillis = System.currentTimeMillis();
    private final Object restart = new Object();

    /**
     * @param command the command to run, or "-" for standard input ({@code stdin})
     * @param stdin   standard input
     */
    public SmiLoop(String command, InputStream stdin, SourceDownTracker.Location where, long intervalMillis,
                   Duration downAfter, SourceMetrics metrics, Consumer<? super ChipSample> sink,
                   Consumer<? super Anomaly> events, RealTimeSampler.TickListener listener) {
        this.command = command;
        this.stdin = stdin;
        this.name = "-".equals(command) ? "nvidia-smi:stdin:" + where.node() : "nvidia-smi:" + where.node();
        this.where = where;
        this.rounds = new SmiRounds(where.node(), where.rack(), where.pod(), intervalMillis);
        this.intervalMillis = intervalMillis;
        this.down = new SourceDownTracker(downAfter);
        this.metrics = metrics;
        this.sink = sink;
        this.events = events;
        this.listener = listener;
    }

    @Override
    public void run() {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nvidia-smi-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleAtFixedRate(this::checkSilence, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        metrics.sources(Set.of(name), 0);
        try {
            if ("-".equals(command)) {
                read(stdin);
            } else {
                while (!stopping) {
                    runCommand();
                    synchronized (restart) {
                        if (!stopping) {
                            restart.wait(RESTART_MILLIS);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.shutdownNow();
        }
    }

    private void runCommand() {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process = p;
            LOG.info("{}: started `{}` (pid {})", name, command, p.pid());
            read(p.getInputStream());
            int code = p.waitFor();
            if (!stopping) {
                problemLog.report(name, SourceProblem.UNREACHABLE, "`" + command + "` exited with " + code);
            }
        } catch (IOException e) {
            problemLog.report(name, SourceProblem.UNREACHABLE, "cannot run `" + command + "`: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (!stopping && (line = r.readLine()) != null) {
                long now = System.currentTimeMillis();
                lastLineMillis = now;
                SourceReading done = rounds.line(line, now);
                if (done != null) {
                    handle(done, now);
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                problemLog.report(name, SourceProblem.UNREACHABLE, "reading its output failed: " + e.getMessage());
            }
        }
        SourceReading last = rounds.flush();
        if (last != null) {
            handle(last, System.currentTimeMillis());
        }
    }

    private synchronized void handle(SourceReading r, long now) {
        long start = System.nanoTime();
        boolean answered = !r.chips().isEmpty();
        metrics.onReading(name, where.node(), r, answered);
        if (r.clean()) {
            problemLog.clean(name);
        } else {
            r.problems().keySet().forEach(p -> problemLog.report(name, p, r.detail()));
        }
        down.onReading(name, where, answered, SourceProblem.MALFORMED, r.detail(), now).forEach(events);
        r.samples().forEach(sink);
        long stamp = r.samples().isEmpty() ? now : r.samples().get(0).timestampMillis();
        listener.onTick(stamp, System.nanoTime() - start, 0);
    }

    /** No line for three intervals: the source is silent; counted each interval, a source-down event in time. */
    private synchronized void checkSilence() {
        long now = System.currentTimeMillis();
        if (now - lastLineMillis < 3 * intervalMillis) {
            return;
        }
        SourceReading r = SourceReading.failed(SourceProblem.TIMEOUT, "no line for " + (now - lastLineMillis) + " ms");
        metrics.onReading(name, where.node(), r, false);
        problemLog.report(name, SourceProblem.TIMEOUT, r.detail());
        down.onReading(name, where, false, SourceProblem.TIMEOUT, r.detail(), now).forEach(events);
        metrics.sources(Set.of(name), down.down());
    }

    /** Ends {@link #run()}: stops the command; standard input ends the loop at its next line or its end. */
    public void stop() {
        stopping = true;
        synchronized (restart) {
            restart.notifyAll();
        }
        Process p = process;
        if (p != null) {
            // Its children too: a child holding the output pipe would keep the read blocked.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }
}
