package io.chipwatch.alerting.insight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Straggler cost (docs/INSIGHTS.md): chip-hours lost to stragglers and power throttling. A training job is
 * synchronous, so one slow chip slows all of it:
 * <pre>
 *   lost chip-hours = interval (h) × the job's chips × slowdown fraction
 * </pre>
 * <ul>
 *   <li>interval: from the anomaly's open event (its detection) to its close event, or to the end of the range while
 *       it is open; clipped to the range (one open before the range starts at the range's start);</li>
 *   <li>the job's chips: {@link InsightHistory#jobChips}, the largest {@code chips} of the job's points in the range;
 *       a job without points counts only the chip itself (1);</li>
 *   <li>slowdown fraction: a straggler's {@code 1 − value} (its stored value is its utilisation ÷ its peers' median,
 *       clamped to [0, 1]); a power-throttled chip's is not in its stored point, so
 *       {@link #DEFAULT_THROTTLE_SLOWDOWN} (a chip held at ~60 % of its TDP), or the caller's.</li>
 * </ul>
 * Several slow chips of one job at once do not add up: the job runs at the pace of the slowest, so each moment
 * counts once, at the largest fraction among the job's open anomalies, and is charged to that chip (its node).
 * Anomalies without a job (an idle chip) cost nothing.
 */
public final class StragglerCost {
    /** The anomaly types that cost a job time. */
    public static final List<String> TYPES = List.of("straggler", "power_throttle");
    /** The slowdown assumed for a power-throttled chip: capped at ~60 % of TDP, it runs ~40 % slower. */
    public static final double DEFAULT_THROTTLE_SLOWDOWN = 0.4;

    /**
     * Chip-hours one chip's anomalies of one cause cost its job.
     *
     * @param job       the job
     * @param node      the node of the chip
     * @param chip      the slow chip
     * @param cause     {@code straggler} or {@code power_throttle}
     * @param hours     hours during which this chip set the job's pace
     * @param jobChips  the job's chips
     * @param chipHours lost chip-hours
     */
    public record Loss(String job, String node, String chip, String cause, double hours, int jobChips,
                       double chipHours) {
    }

    /** One anomaly's interval within the range. */
    private record Interval(String chip, String node, String cause, long start, long end, double fraction) {
    }

    private StragglerCost() {
    }

    /**
     * The losses of {@code events} (open and close events of the {@link #TYPES}) within {@code [fromMillis,
     * toMillis)}, one row per job, chip and cause, the largest first.
     */
    public static List<Loss> losses(List<AnomalyEvent> events, Map<String, Integer> jobChips, long fromMillis,
                                    long toMillis, double throttleSlowdown) {
        if (!(throttleSlowdown >= 0 && throttleSlowdown <= 1)) {
            throw new IllegalArgumentException("the throttling slowdown is a fraction from 0 to 1, not "
                    + throttleSlowdown);
        }
        Map<String, AnomalyEvent> opens = new HashMap<>();
        Map<String, AnomalyEvent> closes = new HashMap<>();
        for (AnomalyEvent e : events) {
            if (TYPES.contains(e.type()) && !e.job().isEmpty()) {
                (e.open() ? opens : closes).merge(e.id(), e, (a, b) -> a.timeMillis() <= b.timeMillis() ? a : b);
            }
        }
        Map<String, List<Interval>> byJob = new TreeMap<>();
        List<String> ids = new ArrayList<>(opens.keySet());
        closes.keySet().stream().filter(id -> !opens.containsKey(id)).forEach(ids::add);
        for (String id : ids) {
            AnomalyEvent open = opens.get(id);
            AnomalyEvent close = closes.get(id);
            AnomalyEvent any = open != null ? open : close;
            long start = Math.max(fromMillis, open != null ? open.timeMillis() : fromMillis);
            long end = Math.min(toMillis, close != null ? close.timeMillis() : toMillis);
            if (end <= start) {
                continue;
            }
            double fraction = any.type().equals("straggler") ? stragglerSlowdown(open, close) : throttleSlowdown;
            String chip = any.chip().isEmpty() ? any.entity() : any.chip();
            byJob.computeIfAbsent(any.job(), j -> new ArrayList<>())
                    .add(new Interval(chip, any.node(), any.type(), start, end, fraction));
        }
        Map<List<String>, double[]> rows = new LinkedHashMap<>();
        byJob.forEach((job, intervals) -> {
            int chips = Math.max(1, jobChips.getOrDefault(job, 1));
            TreeSet<Long> cuts = new TreeSet<>();
            intervals.forEach(i -> {
                cuts.add(i.start());
                cuts.add(i.end());
            });
            Long a = cuts.first();
            for (Long b : cuts.tailSet(a, false)) {
                long mid = a;
                Interval pace = intervals.stream().filter(i -> i.start() <= mid && mid < i.end())
                        .max(Comparator.comparingDouble(Interval::fraction)).orElse(null);
                if (pace != null && pace.fraction() > 0) {
                    double h = (b - a) / 3_600_000.0;
                    double[] r = rows.computeIfAbsent(List.of(job, pace.node(), pace.chip(), pace.cause()),
                            k -> new double[3]);
                    r[0] += h;
                    r[1] += h * chips * pace.fraction();
                    r[2] = chips;
                }
                a = b;
            }
        });
        List<Loss> out = new ArrayList<>();
        rows.forEach((k, r) -> out.add(new Loss(k.get(0), k.get(1), k.get(2), k.get(3), r[0], (int) r[2], r[1])));
        out.sort(Comparator.comparingDouble(Loss::chipHours).reversed().thenComparing(Loss::job)
                .thenComparing(Loss::chip));
        return out;
    }

    /** Lost chip-hours per job (or per node with {@code byNode}), the largest first. */
    public static Map<String, Double> total(List<Loss> losses, boolean byNode) {
        Map<String, Double> sums = new HashMap<>();
        losses.forEach(l -> sums.merge(byNode ? l.node() : l.job(), l.chipHours(), Double::sum));
        Map<String, Double> out = new LinkedHashMap<>();
        sums.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** {@code 1 − value} of the straggler (utilisation ÷ peers' median), clamped to [0, 1]; 0 when unknown. */
    private static double stragglerSlowdown(AnomalyEvent open, AnomalyEvent close) {
        double v = open != null && Double.isFinite(open.value()) ? open.value()
                : close != null ? close.value() : Double.NaN;
        return Double.isFinite(v) ? Math.min(1, Math.max(0, 1 - v)) : 0;
    }
}
