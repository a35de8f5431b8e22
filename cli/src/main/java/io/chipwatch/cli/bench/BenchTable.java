package io.chipwatch.cli.bench;

import io.chipwatch.cli.bench.BenchReport.Pipeline;
import io.chipwatch.cli.bench.BenchReport.Usage;
import io.chipwatch.cli.output.Report.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link BenchReport} as the table {@code ./telemetry bench} prints. */
final class BenchTable {
    private BenchTable() {
    }

    static String render(BenchReport report) {
        StringBuilder s = new StringBuilder();
        Pipeline p = report.pipeline();
        s.append(f("Chipwatch bench  commit %s  %s%n", report.commit(), report.machine()));
        s.append(pipeline(p));
        if (report.catchUp() != null) {
            BenchReport.CatchUp c = report.catchUp();
            s.append(f("%nOutage: both jobs stopped for %.0f s, restarted in %.1f s%n", c.outageS(), c.restartS()));
            c.jobs().forEach((job, j) -> s.append(f("  %-10s backlog %,d records (%.0f s of samples), back to real time %s%n",
                    job, j.backlogRecords(), j.backlogSeconds(),
                    j.catchUpS() == null ? f("NOT within %.0f s", c.limitS()) : f("%.0f s after the restart", j.catchUpS()))));
        }
        if (report.peer() != null) {
            BenchReport.Peer peer = report.peer();
            s.append(f("%nPeer: %s, scraping the same cluster's /metrics every %.1f s with 2 alert rules; measured "
                    + "after the pipeline, not beside it (no shared cores)%n", peer.name(), peer.scrapeIntervalS()));
            s.append(f("  %-22s %10s %16s %12s%n", "component", "CPU-s", "CPU-s/M samples", "peak RSS MB"));
            s.append(f("  %-22s %10.1f %16.2f %12d%n", "prometheus", peer.cpuSeconds(), peer.cpuSecondsPerMillionSamples(),
                    peer.peakRssMb()));
            s.append(usage("collector (source)", peer.source()));
            s.append(f("  samples appended: %,d%n", peer.samples()));
            s.append(f("%nRatio (pipeline CPU-s per million values / Prometheus's per million samples): %.2f%n",
                    report.ratio()));
        }
        if (report.steps() != null) {
            s.append(f("%nFind max: %n"));
            for (Pipeline step : report.steps()) {
                s.append(f("  %,9d chips  %8.2f CPU-s/M values  freshness p99 %s  %s%n", step.chips(),
                        step.cpuSecondsPerMillionValues(), seconds(step.freshnessP99S()),
                        step.keepingUp() ? "keeping up" : "falling behind"));
            }
            s.append(f("  largest chip count that kept up: %s%n",
                    report.maxChips() == null ? "none" : f("%,d", report.maxChips())));
        }
        return s.toString();
    }

    static String pipeline(Pipeline p) {
        StringBuilder s = new StringBuilder();
        s.append(f("%,d chips, %,.0f values/s; warm-up %.0f s (not measured), measured %.0f s%n", p.chips(),
                p.valuesPerSecond(), p.warmupS(), p.durationS()));
        s.append(f("  %-22s %10s %16s %12s%n", "component", "CPU-s", "CPU-s/M values", "peak RSS MB"));
        p.components().forEach((name, u) -> s.append(usage(name, u)));
        s.append(f("  %-22s %10.1f %16.2f%n", "pipeline total", p.cpuSeconds(), p.cpuSecondsPerMillionValues()));
        if (p.source() != null) {
            s.append(usage("collector (source)", p.source()));
        }
        s.append(f("  values ingested: %,d;  dead letters: %,d%n", p.values(), p.deadLetters()));
        s.append(f("  freshness (sample -> readable in InfluxDB): p50 %s, p99 %s over %d windows%n",
                seconds(p.freshnessP50S()), seconds(p.freshnessP99S()), p.windowsReadable()));
        p.lag().forEach((job, l) -> s.append(f("  lag %-10s %,d -> %,d records (%.1f -> %.1f s)%s%n", job,
                l.startRecords(), l.endRecords(), l.startSeconds(), l.endSeconds(), l.growing() ? "  GROWING" : "")));
        s.append(f("  keeping up: %s%n", p.keepingUp() ? "yes" : "NO"));
        return s.toString();
    }

    /** The csv of {@code bench}: one row per measured process (the source last), CPU-seconds and peak memory. */
    static Table csv(Pipeline p) {
        List<List<String>> rows = new ArrayList<>();
        p.components().forEach((name, u) -> rows.add(row(name, u)));
        if (p.source() != null) {
            rows.add(row("collector (source)", p.source()));
        }
        return new Table(List.of("component", "cpu_seconds", "cpu_seconds_per_million_values", "peak_rss_mb"), rows, 1);
    }

    private static List<String> row(String name, Usage u) {
        return List.of(name, String.valueOf(u.cpuSeconds()), String.valueOf(u.cpuSecondsPerMillionValues()),
                String.valueOf(u.peakRssMb()));
    }

    private static String usage(String name, Usage u) {
        return f("  %-22s %10.1f %16.2f %12d%n", name, u.cpuSeconds(), u.cpuSecondsPerMillionValues(), u.peakRssMb());
    }

    private static String seconds(Double s) {
        return s == null ? "n/a" : f("%.1f s", s);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
