package io.chipwatch.alerting.pathwatch;

import io.chipwatch.alerting.concurrent.DaemonThreads;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Turns what the {@link PathProbe}s see into anomalies, in processing time: a problem a probe reports opens ONE
 * {@link AnomalyType#PIPELINE_DEGRADED} anomaly (entity the component) that goes into the engine as if read from
 * the anomalies topic; it closes at the first check in which its probe no longer reports it. A probe that cannot
 * tell (throws) leaves its open anomalies as they are.
 *
 * <p>Why here: like {@link io.chipwatch.alerting.source.SampleFlowWatch}, this service is the one that pages and
 * needs no sample; a Kafka outage or a job that fell behind cannot report itself through the topics it is failing.
 * An anomaly still open from before a restart of this service is adopted and kept while its problem lasts, so a
 * restart neither resolves nor re-raises it. Runs on its own daemon thread.
 */
public final class PathWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PathWatch.class);
    private static final String PREFIX = AnomalyType.PIPELINE_DEGRADED.label() + ":";

    private final List<PathProbe> probes;
    private final Function<List<Anomaly>, CompletableFuture<Void>> sink;
    private final Clock clock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alerting-path-watch"));
    /** Open anomalies by entity, with the probe that reported each (null: adopted, no report seen yet). */
    private final Map<String, Anomaly> open = new LinkedHashMap<>();
    private final Map<String, PathProbe> owner = new HashMap<>();

    /**
     * @param probes  what to look at
     * @param sink    the engine's ingest
     * @param adopted this watch's anomalies the engine still holds open from before a restart ({@link #adopt})
     */
    public PathWatch(List<PathProbe> probes, Function<List<Anomaly>, CompletableFuture<Void>> sink,
                     List<Anomaly> adopted, Clock clock) {
        this.probes = List.copyOf(probes);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = clock;
        for (Anomaly a : adopted) {
            open.put(a.entity(), a);
        }
    }

    /** Checks every {@code every} from now on. */
    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::checkSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("path watch check failed: {}", e.toString(), e);
        }
    }

    /** One round over every probe: opens and closes anomalies. Synchronous (tests call it). */
    synchronized void check() {
        long now = clock.millis();
        Map<String, PathProblem> seen = new LinkedHashMap<>();
        Map<String, PathProbe> seenBy = new HashMap<>();
        List<PathProbe> couldNotTell = new ArrayList<>();
        for (PathProbe probe : probes) {
            try {
                for (PathProblem p : probe.problems(now)) {
                    seen.put(p.entity(), p);
                    seenBy.put(p.entity(), probe);
                }
            } catch (Exception e) {
                couldNotTell.add(probe);
                LOG.debug("path probe {} could not tell: {}", probe, e.toString());
            }
        }
        List<Anomaly> out = new ArrayList<>();
        for (Map.Entry<String, PathProblem> e : seen.entrySet()) {
            owner.put(e.getKey(), seenBy.get(e.getKey()));
            if (!open.containsKey(e.getKey())) {
                Anomaly a = toAnomaly(e.getValue(), now);
                LOG.warn("telemetry path degraded: {}", a.detail());
                open.put(e.getKey(), a);
                out.add(a);
            }
        }
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Anomaly> e = it.next();
            PathProbe by = owner.get(e.getKey());
            boolean unknown = by == null ? !couldNotTell.isEmpty() : couldNotTell.contains(by);
            if (!seen.containsKey(e.getKey()) && !unknown) {
                LOG.info("telemetry path recovered: {} ({})", e.getKey(), e.getValue().id());
                out.add(e.getValue().close(now));
                owner.remove(e.getKey());
                it.remove();
            }
        }
        if (!out.isEmpty()) {
            sink.apply(out);
        }
    }

    private static Anomaly toAnomaly(PathProblem p, long now) {
        Anomaly.Builder b = Anomaly.builder().type(AnomalyType.PIPELINE_DEGRADED).scope(Scope.SOURCE)
                .entity(p.entity()).severity(p.severity()).startMillis(p.sinceMillis()).eventMillis(now)
                .detail(p.detail());
        for (Map.Entry<Fact, Double> f : p.facts().entrySet()) {
            b.fact(f.getKey(), f.getValue());
        }
        Double value = p.facts().getOrDefault(Fact.LAG_S, p.facts().get(Fact.FAILING_S));
        Double limit = p.facts().getOrDefault(Fact.LAG_LIMIT_S, p.facts().get(Fact.FAILING_LIMIT_S));
        if (value != null) {
            b.value(value);
        }
        if (limit != null) {
            b.threshold(limit);
        }
        return b.build();
    }

    /** The open anomalies, by entity (tests, status). */
    synchronized Map<String, Anomaly> open() {
        return Map.copyOf(open);
    }

    /** This watch's anomalies among the engine's open anomaly ids (id {@code pipeline_degraded:entity:start}). */
    public static List<Anomaly> adopt(List<String> openIds, long startsAt) {
        List<Anomaly> adopted = new ArrayList<>();
        for (String id : openIds) {
            int last = id.lastIndexOf(':');
            if (!id.startsWith(PREFIX) || last <= PREFIX.length()) {
                continue;
            }
            Optional<Long> start = parse(id.substring(last + 1));
            start.ifPresent(s -> adopted.add(new Anomaly(id, AnomalyType.PIPELINE_DEGRADED,
                    AnomalyType.PIPELINE_DEGRADED.defaultSeverity(), Scope.SOURCE, id.substring(PREFIX.length(), last),
                    Map.of(), AnomalyState.OPEN, s, null, startsAt, 0, Double.NaN, "", List.of())));
        }
        return adopted;
    }

    private static Optional<Long> parse(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
