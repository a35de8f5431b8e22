package io.chipwatch.alerting.pathwatch;

import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.util.Map;
import java.util.Objects;

/**
 * One thing wrong with the telemetry path now, as a {@link PathProbe} sees it: the component at fault, since when,
 * what an on-call engineer reads, and the facts the alert shows.
 *
 * @param entity      the component, e.g. {@code kafka}, {@code detection}, {@code alertmanager}
 * @param severity    how urgent
 * @param sinceMillis when the problem started (the anomaly's start)
 * @param detail      one sentence naming the component, the measured quantity and what it means
 * @param facts       the anomaly's facts ({@link Fact#LAG_S}, {@link Fact#FAILING_S} ...)
 */
public record PathProblem(String entity, Severity severity, long sinceMillis, String detail, Map<Fact, Double> facts) {
    public PathProblem {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(detail, "detail");
        facts = Map.copyOf(facts);
    }
}
