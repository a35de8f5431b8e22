package io.chipwatch.alerting.pathwatch;

import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kafka and the stream jobs behind it, seen from the samples topic's offsets:
 * <ul>
 *   <li><b>Kafka not answering</b>: every look-up has failed for {@code unreachableAfter} (entity {@code kafka}):
 *       samples reach no job and anomalies reach no one; once reported it stays until Kafka has answered again for
 *       {@code unreachableAfter};</li>
 *   <li><b>a job behind</b>: a job's consumer group has committed offsets {@code lagLimit} or more of samples behind
 *       the topic's end (records behind ÷ the topic's ingest rate over the last minute), on two checks in a row
 *       (entity the job's component name). The jobs commit their offsets when a checkpoint completes, so this is
 *       one signal for a job that is down, one too slow to keep up, and one whose checkpoints fail. It clears below
 *       half the limit. A group with no committed offset (a job never started) and a topic without new records
 *       (the collector's silence, raised elsewhere) are not judged.</li>
 * </ul>
 * Not thread-safe: {@link PathWatch} calls it from one thread.
 */
public final class KafkaPath implements PathProbe {
    /** The entity of the Kafka-unreachable problem, as the supervisor names the component. */
    public static final String KAFKA = "kafka";
    private static final long RATE_WINDOW_MS = 60_000;
    private static final double MIN_RATE_PER_S = 1.0;
    private static final int CHECKS_TO_OPEN = 2;

    private final TopicOffsets offsets;
    private final String where;
    private final String topic;
    private final Map<String, String> groups;
    private final Duration unreachableAfter;
    private final Duration lagLimit;
    private final Failing kafka = new Failing();
    /** Since when the Kafka problem reported is failing (-1: none reported), and since when it answers again. */
    private long reportedSince = -1;
    private long answeringSince = -1;
    private final Deque<long[]> ends = new ArrayDeque<>();
    private final Map<String, Behind> behind = new HashMap<>();

    /** A job's lag state between checks. */
    private static final class Behind {
        int checksOver;
        long since = -1;
        boolean open;
    }

    /**
     * @param offsets          where offsets come from
     * @param where            the bootstrap servers (for the detail)
     * @param topic            the samples topic the jobs read
     * @param groups           component name → consumer group, e.g. {@code detection → chipwatch-detection}
     * @param unreachableAfter how long Kafka may fail every look-up before it is a problem
     * @param lagLimit         how far behind, in time of samples, a job may be
     */
    public KafkaPath(TopicOffsets offsets, String where, String topic, Map<String, String> groups,
                     Duration unreachableAfter, Duration lagLimit) {
        this.offsets = Objects.requireNonNull(offsets, "offsets");
        this.where = where;
        this.topic = topic;
        this.groups = new LinkedHashMap<>(groups);
        this.unreachableAfter = unreachableAfter;
        this.lagLimit = lagLimit;
    }

    @Override
    public List<PathProblem> problems(long nowMillis) throws Exception {
        Map<Integer, Long> end;
        try {
            end = offsets.endOffsets(topic);
            kafka.success();
        } catch (Exception e) {
            kafka.failure(nowMillis, e.getCause() != null ? e.getCause().toString() : e.toString());
            answeringSince = -1;
            long failing = kafka.failingMillis(nowMillis);
            if (failing < unreachableAfter.toMillis() && reportedSince < 0) {
                throw e;
            }
            if (reportedSince < 0) {
                reportedSince = kafka.since();
            }
            return List.of(new PathProblem(KAFKA, Severity.CRITICAL, reportedSince, String.format(Locale.ROOT,
                    "Kafka at %s has not answered for %.0f s (limit %.0f s): samples reach no job and anomalies "
                            + "reach no one; last error: %s", where, failing / 1000.0,
                    unreachableAfter.toMillis() / 1000.0, kafka.lastError()),
                    Map.of(Fact.FAILING_S, failing / 1000.0,
                            Fact.FAILING_LIMIT_S, unreachableAfter.toMillis() / 1000.0)));
        }
        double rate = ingestRate(nowMillis, end);
        List<PathProblem> problems = new ArrayList<>();
        heldKafkaProblem(nowMillis).ifPresent(problems::add);
        for (Map.Entry<String, String> g : groups.entrySet()) {
            PathProblem p = judge(g.getKey(), g.getValue(), end, rate, nowMillis);
            if (p != null) {
                problems.add(p);
            }
        }
        return problems;
    }

    /**
     * A Kafka problem that was reported stays until Kafka has answered for {@code unreachableAfter}: a broker that
     * comes and goes stays one alert, and the supervisor's own report of the outage (published once Kafka is back,
     * the same alert) joins it before it resolves.
     */
    private Optional<PathProblem> heldKafkaProblem(long nowMillis) {
        if (reportedSince < 0) {
            return Optional.empty();
        }
        if (answeringSince < 0) {
            answeringSince = nowMillis;
        }
        if (nowMillis - answeringSince >= unreachableAfter.toMillis()) {
            reportedSince = -1;
            answeringSince = -1;
            return Optional.empty();
        }
        return Optional.of(new PathProblem(KAFKA, Severity.CRITICAL, reportedSince, String.format(Locale.ROOT,
                "Kafka at %s answers again since %.0f s, after %.0f s without an answer; this clears once it has "
                        + "answered for %.0f s", where, (nowMillis - answeringSince) / 1000.0,
                (answeringSince - reportedSince) / 1000.0, unreachableAfter.toMillis() / 1000.0),
                Map.of(Fact.FAILING_LIMIT_S, unreachableAfter.toMillis() / 1000.0)));
    }

    /** Records per second entering the topic over the last minute; NaN before two looks. */
    private double ingestRate(long nowMillis, Map<Integer, Long> end) {
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        ends.addLast(new long[] {nowMillis, total});
        while (ends.size() > 2 && nowMillis - ends.peekFirst()[0] > RATE_WINDOW_MS) {
            ends.removeFirst();
        }
        long[] first = ends.peekFirst();
        if (ends.size() < 2 || nowMillis == first[0]) {
            return Double.NaN;
        }
        return (total - first[1]) * 1000.0 / (nowMillis - first[0]);
    }

    private PathProblem judge(String component, String group, Map<Integer, Long> end, double rate, long nowMillis) {
        Behind state = behind.computeIfAbsent(component, k -> new Behind());
        Map<Integer, Long> committed;
        try {
            committed = offsets.committed(group, topic);
        } catch (Exception e) {
            return state.open ? problem(component, group, state, Double.NaN, -1) : null;
        }
        long records = TopicOffsets.recordsBehind(end, committed);
        if (committed.isEmpty() || !(rate >= MIN_RATE_PER_S)) {
            // Not judged: keep what was decided.
            return state.open ? problem(component, group, state, Double.NaN, records) : null;
        }
        double lagS = records / rate;
        if (state.open) {
            if (lagS < lagLimit.toMillis() / 2000.0) {
                behind.remove(component);
                return null;
            }
            return problem(component, group, state, lagS, records);
        }
        if (lagS >= lagLimit.toMillis() / 1000.0) {
            if (state.checksOver++ == 0) {
                state.since = nowMillis;
            }
            if (state.checksOver >= CHECKS_TO_OPEN) {
                state.open = true;
                return problem(component, group, state, lagS, records);
            }
        } else {
            state.checksOver = 0;
        }
        return null;
    }

    private PathProblem problem(String component, String group, Behind state, double lagS, long records) {
        double limitS = lagLimit.toMillis() / 1000.0;
        Map<Fact, Double> facts = new LinkedHashMap<>();
        if (Double.isFinite(lagS)) {
            facts.put(Fact.LAG_S, lagS);
        }
        facts.put(Fact.LAG_LIMIT_S, limitS);
        String how = Double.isFinite(lagS) ? String.format(Locale.ROOT, "%.0f s of samples (%d records)", lagS, records)
                : "more than the limit";
        return new PathProblem(component, Severity.CRITICAL, state.since, String.format(Locale.ROOT,
                "stream job %s (consumer group %s) is %s behind the newest sample of %s (limit %.0f s): it is down, "
                        + "too slow to keep up, or its checkpoints fail (offsets are committed on checkpoints); "
                        + "its output is late by as much", component, group, how, topic, limitS), facts);
    }
}
