package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.sketch.LatencySketch;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkLatency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the aggregation job must write for a set of distinct samples, worked out here straight from the storage
 * contract's definitions (CONTRACTS.md §3) and without any of the job's code: roll-ups directly from all their chips
 * (not in stages), percentiles exact (nearest rank, from the sorted readings).
 */
final class ExpectedAggregates {
    static final long WINDOW_MS = 10_000;

    private ExpectedAggregates() {
    }

    /** One chip's window, as the roll-ups see it. */
    record Chip(String chip, String node, String rack, String pod, String job, long windowStart, long samples,
                double utilMean, double utilMax, double tempMax, double powerMean, List<Double> latencies) {
    }

    /** One link row. */
    record Link(String link, String chip, String peer, String node, String rack, String pod, String kind,
                long windowStart, long samples, double mean, double max, double[] sorted) {
        double exactP99() {
            return nearestRank(sorted, 99);
        }
    }

    /** One roll-up row. */
    record Rollup(Level level, String entity, long windowStart, long chips, double utilMean, double utilMin,
                  double utilMax, double tempMax, double powerSum, double[] sortedLatencies) {
        double exactPercentile(double p) {
            return nearestRank(sortedLatencies, p);
        }
    }

    static long windowStart(long timestamp) {
        return Math.floorDiv(timestamp, WINDOW_MS) * WINDOW_MS;
    }

    /** Chip windows by "chip@windowStart". Sums run in time order, as the job adds them. */
    static Map<String, Chip> chips(List<ChipSample> samples) {
        Map<String, List<ChipSample>> byWindow = new TreeMap<>();
        for (ChipSample s : samples) {
            byWindow.computeIfAbsent(s.chip() + "@" + windowStart(s.timestampMillis()), k -> new ArrayList<>()).add(s);
        }
        Map<String, Chip> chips = new TreeMap<>();
        byWindow.forEach((key, in) -> {
            in.sort(Comparator.comparingLong(ChipSample::timestampMillis));
            double utilSum = 0, powerSum = 0;
            double utilMax = Double.NEGATIVE_INFINITY, tempMax = Double.NEGATIVE_INFINITY;
            String job = null;
            List<Double> latencies = new ArrayList<>();
            for (ChipSample s : in) {
                utilSum += s.util();
                powerSum += s.powerW();
                utilMax = Math.max(utilMax, s.util());
                tempMax = Math.max(tempMax, s.tempC());
                job = s.job() != null ? s.job() : job;
                s.links().forEach(l -> latencies.add(l.latencyUs()));
            }
            ChipSample last = in.get(in.size() - 1);
            chips.put(key, new Chip(last.chip(), last.node(), last.rack(), last.pod(), job,
                    windowStart(last.timestampMillis()), in.size(), utilSum / in.size(), utilMax, tempMax,
                    powerSum / in.size(), latencies));
        });
        return chips;
    }

    /** Link rows by "link|chip@windowStart". */
    static Map<String, Link> links(List<ChipSample> samples) {
        Map<String, List<Object[]>> byKey = new TreeMap<>();
        for (ChipSample s : samples) {
            for (LinkLatency l : s.links()) {
                byKey.computeIfAbsent(l.link() + "|" + s.chip() + "@" + windowStart(s.timestampMillis()),
                        k -> new ArrayList<>()).add(new Object[]{s, l});
            }
        }
        Map<String, Link> links = new TreeMap<>();
        byKey.forEach((key, in) -> {
            in.sort(Comparator.comparingLong(o -> ((ChipSample) o[0]).timestampMillis()));
            double sum = 0;
            double[] values = new double[in.size()];
            for (int i = 0; i < in.size(); i++) {
                values[i] = ((LinkLatency) in.get(i)[1]).latencyUs();
                sum += values[i];
            }
            ChipSample s = (ChipSample) in.get(in.size() - 1)[0];
            LinkLatency l = (LinkLatency) in.get(0)[1];
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            links.put(key, new Link(l.link(), s.chip(), l.peer(), s.node(), s.rack(), s.pod(), l.kind().label(),
                    windowStart(s.timestampMillis()), values.length, sum / values.length, sorted[sorted.length - 1],
                    sorted));
        });
        return links;
    }

    /** Roll-ups of {@code level} by "entity@windowStart", each computed from all its chips at once. */
    static Map<String, Rollup> rollups(List<ChipSample> samples, Level level) {
        Map<String, List<Chip>> members = new TreeMap<>();
        for (Chip c : chips(samples).values()) {
            String entity = switch (level) {
                case NODE -> c.node();
                case RACK -> c.rack();
                case POD -> c.pod();
                case CLUSTER -> "cluster";
                case JOB -> c.job();
                case CHIP -> c.chip();
            };
            if (entity != null) {
                members.computeIfAbsent(entity + "@" + c.windowStart(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, Rollup> rollups = new TreeMap<>();
        members.forEach((key, chips) -> {
            double utilMeanSum = 0, powerSum = 0;
            double utilMin = Double.POSITIVE_INFINITY, utilMax = Double.NEGATIVE_INFINITY;
            double tempMax = Double.NEGATIVE_INFINITY;
            List<Double> latencies = new ArrayList<>();
            for (Chip c : chips) {
                utilMeanSum += c.utilMean();
                powerSum += c.powerMean();
                utilMin = Math.min(utilMin, c.utilMean());
                utilMax = Math.max(utilMax, c.utilMax());
                tempMax = Math.max(tempMax, c.tempMax());
                latencies.addAll(c.latencies());
            }
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            rollups.put(key, new Rollup(level, key.substring(0, key.lastIndexOf('@')), chips.get(0).windowStart(),
                    chips.size(), utilMeanSum / chips.size(), utilMin, utilMax, tempMax, powerSum, sorted));
        });
        return rollups;
    }

    /** One capacity row (a minute or an hour of an entity). */
    record Capacity(Level level, String entity, long start, long points, double utilMean, double utilMax,
                    double power, long count) {
    }

    /**
     * Capacity rows of {@code level} over periods of {@code periodMs} by "entity@start", each from all the 10-second
     * points in it at once: means of the 10-second util_mean and power, the largest util_max, and samples (chips) or
     * the most chips reporting (other levels). A chip's rows are split by its job, "chip|job" ("chip|" when idle).
     */
    static Map<String, Capacity> capacity(List<ChipSample> samples, Level level, long periodMs) {
        // entity@start -> rows of [utilMean, utilMax, power, count]
        Map<String, List<double[]>> byPeriod = new TreeMap<>();
        if (level == Level.CHIP) {
            for (Chip c : chips(samples).values()) {
                String series = c.chip() + "|" + (c.job() == null ? "" : c.job());
                byPeriod.computeIfAbsent(series + "@" + Math.floorDiv(c.windowStart(), periodMs) * periodMs,
                        k -> new ArrayList<>()).add(new double[]{c.utilMean(), c.utilMax(), c.powerMean(), c.samples()});
            }
        } else {
            for (Rollup r : rollups(samples, level).values()) {
                byPeriod.computeIfAbsent(r.entity() + "@" + Math.floorDiv(r.windowStart(), periodMs) * periodMs,
                        k -> new ArrayList<>()).add(new double[]{r.utilMean(), r.utilMax(), r.powerSum(), r.chips()});
            }
        }
        Map<String, Capacity> rows = new TreeMap<>();
        byPeriod.forEach((key, points) -> {
            double utilSum = 0, powerSum = 0, utilMax = Double.NEGATIVE_INFINITY, count = 0;
            for (double[] p : points) {
                utilSum += p[0];
                utilMax = Math.max(utilMax, p[1]);
                powerSum += p[2];
                count = level == Level.CHIP ? count + p[3] : Math.max(count, p[3]);
            }
            int at = key.lastIndexOf('@');
            rows.put(key, new Capacity(level, key.substring(0, at), Long.parseLong(key.substring(at + 1)),
                    points.size(), utilSum / points.size(), utilMax, powerSum / points.size(), (long) count));
        });
        return rows;
    }

    /** The nearest-rank percentile of sorted values: the smallest value with at least p % at or below it. */
    static double nearestRank(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.max(1, Math.ceil(p / 100.0 * sorted.length));
        return sorted[rank - 1];
    }

    /**
     * Asserts that a percentile read from a {@link LatencySketch} is the exact one within the sketch's stated
     * precision: never below it, at most {@link LatencySketch#RELATIVE_PRECISION} above it, give or take the
     * sketch's 1 ns recording unit.
     */
    static void assertSketchPercentile(double actual, double exact, String what) {
        double unit = 1.0 / LatencySketch.UNITS_PER_US;
        assertThat(actual).as(what + " (exact %s)", exact)
                .isGreaterThanOrEqualTo(exact - unit / 2)
                .isLessThanOrEqualTo(exact * (1 + LatencySketch.RELATIVE_PRECISION) + unit / 2);
    }
}
