package io.chipwatch.cli.bench;

import io.chipwatch.cli.bench.BenchReport.Lag;
import io.chipwatch.cli.bench.BenchReport.Pipeline;
import io.chipwatch.cli.bench.BenchReport.Usage;
import io.chipwatch.cli.stack.InfluxQueries;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.cli.stack.UpOptions;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Topology;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's side of a benchmark: the whole local stack at one chip count, on a fresh {@code var/bench}, warmed
 * up, then measured over a window: CPU and peak memory of each component (from {@code /proc}), values that entered
 * Kafka, freshness in InfluxDB ({@link FreshnessProbe}), each job's consumer lag every few seconds, dead letters.
 * The stack is left running (the peer phase uses its collector); the caller takes it down.
 */
final class PipelinePhase {
    /** The jobs' consumer groups (their defaults, which the local stack keeps). */
    static final Map<String, String> JOB_GROUPS = Map.of(LocalStack.FLINK, "chipwatch-aggregation",
            LocalStack.DETECTION, "chipwatch-detection");
    private static final Duration LAG_EVERY = Duration.ofSeconds(5);
    private static final Duration CHIPS_IN_WITHIN = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration SAMPLE_PERIOD = Duration.ofSeconds(1);

    private final LocalStack stack;
    private final PrintStream progress;
    private final long seed;

    PipelinePhase(LocalStack stack, long seed, PrintStream progress) {
        this.stack = stack;
        this.seed = seed;
        this.progress = progress;
    }

    /**
     * Metric values in one sample of each chip: utilisation, temperature, power, and a latency for each link the
     * chip is an end of (7 to its node's other chips, 1 to its rack's switch: 110,000 for 10,000 chips).
     */
    static long valuesPerTick(int chips) {
        return Topology.build(ClusterShape.DEFAULT, chips).chips().stream().mapToLong(c -> 3 + c.links().size()).sum();
    }

    Pipeline run(int chips, Duration warmup, Duration duration) throws Exception {
        progress.printf("bench: starting a fresh stack with %,d chips in %s%n", chips, stack.layout().var());
        stack.down(true);
        StackState state = stack.up(new UpOptions(chips, seed));
        try (InfluxQueries influx = new InfluxQueries(LocalStack.url(state, LocalStack.INFLUXDB), LocalStack.DATABASE,
                Duration.ofSeconds(20));
             KafkaProbe kafka = new KafkaProbe(LocalStack.url(state, LocalStack.KAFKA),
                LocalStack.kafkaAdminSettings(state))) {
            awaitChips(influx, chips);
            progress.printf("bench: warming up for %d s%n", warmup.toSeconds());
            sleep(warmup);
            return measure(state, influx, kafka, chips, warmup, duration);
        }
    }

    private Pipeline measure(StackState state, InfluxQueries influx, KafkaProbe kafka, int chips, Duration warmup,
                             Duration duration) throws InterruptedException {
        progress.printf("bench: measuring for %d s%n", duration.toSeconds());
        Map<String, ProcessMeter.Reading> before = readAll(state);
        long records0 = kafka.records(LocalStack.SAMPLES_TOPIC);
        long dead0 = kafka.records(LocalStack.DEAD_LETTER_TOPIC);
        Map<String, List<Long>> lags = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (FreshnessProbe freshness = new FreshnessProbe(influx, WINDOW, SAMPLE_PERIOD, Duration.ofMillis(500),
                Clock.systemUTC())) {
            long end = t0 + duration.toNanos();
            while (System.nanoTime() < end) {
                JOB_GROUPS.forEach((job, group) -> lags.computeIfAbsent(job, k -> new ArrayList<>())
                        .add(kafka.lag(group, LocalStack.SAMPLES_TOPIC)));
                progress.printf("bench:   %3d s  lag %s  windows readable %d%n", (System.nanoTime() - t0) / 1_000_000_000L,
                        lastLags(lags), freshness.windows());
                Thread.sleep(Math.min(LAG_EVERY.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, ProcessMeter.Reading> after = readAll(state);
            long values = (kafka.records(LocalStack.SAMPLES_TOPIC) - records0) * valuesPerTick(chips) / chips;
            long deadLetters = kafka.records(LocalStack.DEAD_LETTER_TOPIC) - dead0;
            List<Double> ages = freshness.ages();
            return result(chips, warmup, seconds, values, before, after, ages, freshness.windows(), lags, deadLetters);
        }
    }

    private Pipeline result(int chips, Duration warmup, double seconds, long values,
                            Map<String, ProcessMeter.Reading> before, Map<String, ProcessMeter.Reading> after,
                            List<Double> ages, int windows, Map<String, List<Long>> lagReadings, long deadLetters) {
        Map<String, Usage> components = new LinkedHashMap<>();
        double total = 0;
        Usage source = null;
        for (String name : after.keySet()) {
            if (!before.containsKey(name)) {
                continue;
            }
            double cpu = after.get(name).cpuSeconds() - before.get(name).cpuSeconds();
            Usage usage = new Usage(round(cpu), after.get(name).peakRssBytes() >> 20, round(perMillion(cpu, values)));
            if (name.equals(LocalStack.COLLECTOR)) {
                source = usage;
            } else {
                components.put(name, usage);
                total += cpu;
            }
        }
        double rate = values / seconds * chips / valuesPerTick(chips);
        Map<String, Lag> lag = new LinkedHashMap<>();
        boolean growing = false;
        for (Map.Entry<String, List<Long>> e : lagReadings.entrySet()) {
            Lag l = lag(e.getValue(), rate);
            lag.put(e.getKey(), l);
            growing |= l.growing();
        }
        return new Pipeline(chips, warmup.toSeconds(), round(seconds), values, round(values / seconds), round(total),
                round(perMillion(total, values)), components, source, percentile(ages, 50), percentile(ages, 99),
                windows, !growing && windows > 0, lag, deadLetters);
    }

    /**
     * The start (median of the first third of readings) and end (median of the last third) of a job's lag; it grows
     * when the end exceeds the start by more than five seconds of records. An unknown group (-1: never committed)
     * counts as growing.
     */
    static Lag lag(List<Long> readings, double recordsPerSecond) {
        int third = Math.max(1, readings.size() / 3);
        long start = median(readings.subList(0, third));
        long end = median(readings.subList(readings.size() - third, readings.size()));
        boolean unknown = readings.stream().anyMatch(r -> r < 0);
        boolean growing = unknown || end > start + 5 * recordsPerSecond;
        return new Lag(start, end, round(start / recordsPerSecond), round(end / recordsPerSecond), growing);
    }

    private void awaitChips(InfluxQueries influx, int chips) throws InterruptedException {
        long deadline = System.nanoTime() + CHIPS_IN_WITHIN.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            try {
                seen = influx.chipsReporting();
            } catch (RuntimeException e) {
                seen = 0;
            }
            if (seen >= chips) {
                progress.printf("bench: all %,d chips in InfluxDB%n", chips);
                return;
            }
            progress.printf("bench: %,d of %,d chips in InfluxDB%n", seen, chips);
            Thread.sleep(5000);
        }
        progress.printf("bench: only %,d of %,d chips reached InfluxDB within %d s; measuring anyway%n", seen, chips,
                CHIPS_IN_WITHIN.toSeconds());
    }

    private Map<String, ProcessMeter.Reading> readAll(StackState state) {
        Map<String, ProcessMeter.Reading> readings = new LinkedHashMap<>();
        for (String name : LocalStack.COMPONENTS) {
            Long pid = state.pids.get(name);
            if (pid != null) {
                ProcessMeter.read(pid).ifPresent(r -> readings.put(name, r));
            }
        }
        return readings;
    }

    private static String lastLags(Map<String, List<Long>> lags) {
        StringBuilder s = new StringBuilder();
        lags.forEach((job, l) -> s.append(job).append('=').append(l.get(l.size() - 1)).append(' '));
        return s.toString().trim();
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Nearest-rank percentile, or null for no values. */
    static Double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return round(sorted.get(Math.max(0, rank - 1)));
    }

    static double perMillion(double cpuSeconds, long values) {
        return values == 0 ? 0 : cpuSeconds / (values / 1e6);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
