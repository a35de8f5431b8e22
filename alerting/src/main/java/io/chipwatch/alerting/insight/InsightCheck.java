package io.chipwatch.alerting.insight;

import io.chipwatch.alerting.concurrent.DaemonThreads;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The periodic history check of the alerting service (docs/INSIGHTS.md): every {@link InsightSettings#every()} it
 * reads the history ({@link InsightHistory}) and
 * <ul>
 *   <li>opens a {@link AnomalyType#LEMON} anomaly (warning) when a node becomes a repeat offender
 *       ({@link RepeatOffenders}) and closes it when it no longer is;</li>
 *   <li>every {@link InsightSettings#wearEvery()}, opens a {@link AnomalyType#LINK_WEAR} anomaly (info: never sent
 *       to a receiver) for a wearing link ({@link LinkWear}), closed when it no longer is;</li>
 *   <li>writes the chip-hours lost to stragglers and throttling ({@link StragglerCost}) per window of
 *       {@code every}, rewriting the last {@link InsightSettings#lossRewrite()} (close events that came late).</li>
 * </ul>
 * The anomalies go into the engine as if read from the anomalies topic ({@code sink}); their ids are
 * {@code type:entity:start}, and those still open in the engine at a restart are adopted ({@link #adopt}). A failing
 * history (InfluxDB down) changes nothing; the next check tries again. Runs on its own daemon thread.
 */
public final class InsightCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InsightCheck.class);

    private final InsightHistory history;
    private final LossWriter losses;
    private final InsightSettings settings;
    private final Function<List<Anomaly>, CompletableFuture<Void>> sink;
    private final Clock clock;
    private final Map<String, Anomaly> lemons = new HashMap<>();
    private final Map<String, Anomaly> wearing = new HashMap<>();
    /** The rows last written per window still rewritten (their start). */
    private final Map<Long, List<StragglerCost.Loss>> lossesWritten = new HashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alerting-insight"));
    private long nextWearMillis = Long.MIN_VALUE;
    /** Hours of link history one wear check reads at most: a first start fills 48 hours over a few checks. */
    static final int LINK_HOURS_PER_CHECK = 12;
    private final LinkHourCache linkHours;
    private long failures;

    /**
     * @param adopted the open lemon and link wear anomalies the engine still holds from before a restart
     *                ({@link #adopt})
     */
    public InsightCheck(InsightHistory history, LossWriter losses, InsightSettings settings,
                        Function<List<Anomaly>, CompletableFuture<Void>> sink, List<Anomaly> adopted, Clock clock) {
        this(history, losses, settings, sink, adopted, clock, LINK_HOURS_PER_CHECK);
    }

    /** As above, reading at most {@code linkHoursPerCheck} hours of link history per wear check. */
    InsightCheck(InsightHistory history, LossWriter losses, InsightSettings settings,
                 Function<List<Anomaly>, CompletableFuture<Void>> sink, List<Anomaly> adopted, Clock clock,
                 int linkHoursPerCheck) {
        this.history = Objects.requireNonNull(history, "history");
        this.linkHours = new LinkHourCache(history, linkHoursPerCheck);
        this.losses = Objects.requireNonNull(losses, "losses");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Anomaly a : adopted) {
            (a.type() == AnomalyType.LEMON ? lemons : wearing).put(a.entity(), a);
        }
    }

    /** Checks now and then every {@link InsightSettings#every()}. */
    public void start() {
        timer.scheduleWithFixedDelay(this::checkSafely, 0, settings.every().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            if (failures++ % 10 == 0) {
                LOG.warn("history check failed ({} failure(s)): {}", failures, e.toString());
            }
        }
    }

    /** One check (synchronous: tests call it). */
    public synchronized void check() {
        long now = clock.millis();
        long from = now - settings.lemons().history().toMillis();
        List<AnomalyEvent> events = history.anomalies(from, now, List.of());
        checkLemons(events, from, now);
        writeLosses(events, now);
        if (now >= nextWearMillis) {
            checkWear(now);
            nextWearMillis = now + settings.wearEvery().toMillis();
        }
    }

    private void checkLemons(List<AnomalyEvent> events, long from, long now) {
        RepeatOffenders.Policy p = settings.lemons();
        List<Anomaly> out = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (RepeatOffenders.Offender o : RepeatOffenders.at(RepeatOffenders.Level.NODE,
                RepeatOffenders.find(events, from, now, p.minAnomalies()))) {
            current.add(o.entity());
            if (!lemons.containsKey(o.entity())) {
                String types = o.byType().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
                Anomaly a = Anomaly.builder().type(AnomalyType.LEMON).entity(o.entity())
                        .tags(HierarchyTags.ofNode(o.entity())).startMillis(now).eventMillis(now)
                        .value(o.anomalies()).threshold(p.minAnomalies())
                        .fact(Fact.ANOMALIES, o.anomalies()).fact(Fact.ANOMALIES_LIMIT, p.minAnomalies())
                        .fact(Fact.HISTORY_S, p.history().toSeconds())
                        .detail(String.format(Locale.ROOT, "%d anomalies in the last %s (a repeat offender from %d):"
                                        + " %s", o.anomalies(), days(p.history().toMillis()), p.minAnomalies(),
                                types))
                        .build();
                lemons.put(o.entity(), a);
                out.add(a);
                LOG.info("node {} is a repeat offender: {}", o.entity(), a.detail());
            }
        }
        // Hysteresis: a lemon stays one while it has one anomaly fewer than made it one (an anomaly ageing out of
        // the history and a new one coming in must not resolve and re-raise it).
        if (p.minAnomalies() > 1) {
            RepeatOffenders.at(RepeatOffenders.Level.NODE, RepeatOffenders.find(events, from, now,
                    p.minAnomalies() - 1)).forEach(o -> current.add(o.entity()));
        }
        closeGone(lemons, current, now, out);
        if (!out.isEmpty()) {
            sink.apply(out);
        }
    }

    private void checkWear(long now) {
        LinkWear.Policy p = settings.wear();
        List<Anomaly> out = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (LinkWear.Wearing w : LinkWear.find(linkHours.hours(now - p.history().toMillis(), now), p)) {
            current.add(w.link());
            if (!wearing.containsKey(w.link())) {
                Anomaly a = Anomaly.builder().type(AnomalyType.LINK_WEAR).entity(w.link())
                        .tags(HierarchyTags.ofLink(w.link())).startMillis(now).eventMillis(now)
                        .value(w.risePct()).threshold(p.minRisePct())
                        .fact(Fact.LATENCY_US, w.nowUs()).fact(Fact.BASELINE_US, w.startUs())
                        .fact(Fact.SLOPE_US_PER_H, w.slopeUsPerH()).fact(Fact.RISE_PCT, w.risePct())
                        .fact(Fact.RISE_LIMIT_PCT, p.minRisePct()).fact(Fact.HISTORY_S, p.history().toSeconds())
                        .detail(String.format(Locale.ROOT, "latency trend %.2f µs → %.2f µs over %d hourly medians "
                                        + "(+%.1f %%, %.3f µs/h), under %.1f× (degraded)", w.startUs(), w.nowUs(),
                                w.hours(), w.risePct(), w.slopeUsPerH(), p.degradedRatio()))
                        .build();
                wearing.put(w.link(), a);
                out.add(a);
                LOG.info("link {} is wearing: {}", w.link(), a.detail());
            }
        }
        closeGone(wearing, current, now, out);
        if (!out.isEmpty()) {
            sink.apply(out);
        }
    }

    private void writeLosses(List<AnomalyEvent> events, long now) {
        long w = settings.every().toMillis();
        long end = Math.floorDiv(now, w) * w;
        long first = end - Math.max(1, settings.lossRewrite().toMillis() / w) * w;
        Map<String, Integer> chips = history.jobChips(first, end);
        Map<Long, List<StragglerCost.Loss>> rewritten = new HashMap<>();
        for (long ws = first; ws < end; ws += w) {
            List<StragglerCost.Loss> rows = new ArrayList<>(StragglerCost.losses(events, chips, ws, ws + w,
                    settings.throttleSlowdown()));
            // A row written before that a late event took away (another chip set the pace) is written as 0, so
            // the window's sum stays right (points of the same series and time replace each other).
            Set<List<String>> keys = new HashSet<>();
            rows.forEach(l -> keys.add(key(l)));
            for (StragglerCost.Loss old : lossesWritten.getOrDefault(ws, List.of())) {
                if (!keys.contains(key(old))) {
                    rows.add(new StragglerCost.Loss(old.job(), old.node(), old.chip(), old.cause(), 0,
                            old.jobChips(), 0));
                }
            }
            losses.write(rows, ws);
            rewritten.put(ws, rows);
        }
        lossesWritten.clear();
        lossesWritten.putAll(rewritten);
    }

    private static List<String> key(StragglerCost.Loss l) {
        return List.of(l.job(), l.node(), l.chip(), l.cause());
    }

    private static void closeGone(Map<String, Anomaly> open, Set<String> current, long now, List<Anomaly> out) {
        for (String entity : List.copyOf(open.keySet())) {
            if (!current.contains(entity)) {
                out.add(open.remove(entity).close(now));
            }
        }
    }

    private static String days(long millis) {
        return millis % 86_400_000L == 0 ? millis / 86_400_000L + " d" : millis / 3_600_000.0 + " h";
    }

    /** The open anomalies (tests). */
    synchronized List<Anomaly> open() {
        List<Anomaly> out = new ArrayList<>(lemons.values());
        out.addAll(wearing.values());
        return out;
    }

    /**
     * The lemon and link wear anomalies still open in an engine alert (ids {@code type:entity:start}), rebuilt so that
     * the check closes them when they end.
     */
    public static List<Anomaly> adopt(List<String> openIds, long startsAt) {
        List<Anomaly> out = new ArrayList<>();
        for (String id : openIds) {
            for (AnomalyType type : List.of(AnomalyType.LEMON, AnomalyType.LINK_WEAR)) {
                String prefix = type.label() + ":";
                int colon = id.lastIndexOf(':');
                if (id.startsWith(prefix) && colon > prefix.length()) {
                    try {
                        long start = Long.parseLong(id.substring(colon + 1));
                        String entity = id.substring(prefix.length(), colon);
                        out.add(new Anomaly(id, type, type.defaultSeverity(), type.defaultScope(), entity,
                                type == AnomalyType.LEMON ? HierarchyTags.ofNode(entity)
                                        : HierarchyTags.ofLink(entity), AnomalyState.OPEN,
                                start, null, Math.max(start, startsAt), 0, Double.NaN, "", List.of()));
                    } catch (NumberFormatException e) {
                        LOG.warn("cannot adopt {}: {}", id, e.toString());
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
