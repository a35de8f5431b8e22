package io.chipwatch.model.anomaly;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One event about a detected problem, as published by the detectors on the Kafka topic {@value #TOPIC}
 * (key: {@link #id()}, value: {@link AnomalyCodec}) and read by the alerting service.
 *
 * <p>Lifecycle: an anomaly is published <b>once when it opens</b> ({@link AnomalyState#OPEN}, {@code endMillis}
 * null) and <b>once when it closes</b> ({@link AnomalyState#CLOSED}, same {@code id}, {@code endMillis} set).
 * Consumers must tolerate redelivery of either event (at-least-once): the id makes them idempotent. Ids should be
 * deterministic ({@link #idFor}) so that a detector that replays its input after a restart publishes the same id.
 *
 * <p>Immutable; the tag map is sorted by key and the affected list keeps its order.
 *
 * @param id          stable id of this anomaly, the same in its open and close events, e.g. {@code chip_down:p00-r01-n02-c03:1764000000000}
 * @param type        what kind of problem
 * @param severity    how urgent
 * @param scope       the level of {@code entity}
 * @param entity      id of the entity at fault: a chip, node, rack, pod, link or job id
 * @param tags        hierarchy tags that apply, keys from {@link #HIERARCHY_KEYS} (e.g. chip, node, rack, pod, job
 *                    for a chip; link, chip, peer, node, rack, pod for a link); values non-blank
 * @param state       open or closed
 * @param startMillis when the problem started (event time, epoch ms)
 * @param endMillis   when it ended (epoch ms, not before {@code startMillis}); {@code null} exactly when open
 * @param eventMillis when this event was emitted (epoch ms): the detection time of an open, the end of a close
 * @param value       the evidence: the measured value that crossed the threshold (°C, W, µs, %, seconds silent...)
 * @param threshold   the limit it was compared with, in the same unit ({@code NaN} when there is none)
 * @param detail      human-readable explanation with the evidence, e.g. "temp 97.2 °C > 95 °C, rising 1.1 °C/s"
 * @param affected    entity ids the problem covers, for root-cause roll-ups (the chips of a rack_cooling or
 *                    node_down anomaly); empty when only {@code entity} is concerned
 * @param facts       the evidence by name, each in its unit ({@link Fact}; which ones each type carries:
 *                    {@link AnomalyFacts}), sorted by key; finite values only; empty for anomalies written before
 *                    facts existed (wire schema 0x11). What alerts show; {@code value}/{@code threshold} stay the
 *                    rule's own evidence, whose meaning depends on the verdict
 */
public record Anomaly(String id, AnomalyType type, Severity severity, Scope scope, String entity,
                      Map<String, String> tags, AnomalyState state, long startMillis, Long endMillis,
                      long eventMillis, double value, double threshold, String detail, List<String> affected,
                      Map<String, Double> facts) {

    /** The Kafka topic anomalies are published on (key: anomaly id). */
    public static final String TOPIC = "anomalies";

    /** Hierarchy tag keys, outermost first; an anomaly carries those that apply to its entity. */
    public static final List<String> HIERARCHY_KEYS = List.of("pod", "rack", "node", "chip", "link", "peer", "job");

    public Anomaly {
        requireText(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(scope, "scope");
        requireText(entity, "entity");
        Objects.requireNonNull(state, "state");
        SortedMap<String, String> sorted = new TreeMap<>();
        if (tags != null) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                requireText(tag.getKey(), "tag key");
                if (tag.getValue() == null || tag.getValue().isBlank()) {
                    throw new IllegalArgumentException("tag " + tag.getKey() + " has no value");
                }
                sorted.put(tag.getKey(), tag.getValue());
            }
        }
        tags = Collections.unmodifiableSortedMap(sorted);
        if (state == AnomalyState.OPEN && endMillis != null) {
            throw new IllegalArgumentException("an open anomaly has no endMillis (got " + endMillis + ")");
        }
        if (state == AnomalyState.CLOSED) {
            if (endMillis == null) {
                throw new IllegalArgumentException("a closed anomaly needs endMillis");
            }
            if (endMillis < startMillis) {
                throw new IllegalArgumentException("endMillis " + endMillis + " is before startMillis " + startMillis);
            }
        }
        detail = detail == null ? "" : detail;
        List<String> copy = new ArrayList<>(affected == null ? List.of() : affected);
        for (String a : copy) {
            requireText(a, "affected entity id");
        }
        affected = List.copyOf(copy);
        SortedMap<String, Double> evidence = new TreeMap<>();
        if (facts != null) {
            for (Map.Entry<String, Double> fact : facts.entrySet()) {
                requireText(fact.getKey(), "fact name");
                if (fact.getValue() != null && Double.isFinite(fact.getValue())) {
                    evidence.put(fact.getKey(), fact.getValue());
                }
            }
        }
        facts = Collections.unmodifiableSortedMap(evidence);
    }

    /** An anomaly without facts (as written before they existed). */
    public Anomaly(String id, AnomalyType type, Severity severity, Scope scope, String entity,
                   Map<String, String> tags, AnomalyState state, long startMillis, Long endMillis,
                   long eventMillis, double value, double threshold, String detail, List<String> affected) {
        this(id, type, severity, scope, entity, tags, state, startMillis, endMillis, eventMillis, value, threshold,
                detail, affected, Map.of());
    }

    /** The value of {@code fact}, if this anomaly carries it. */
    public OptionalDouble fact(Fact fact) {
        Double v = facts.get(fact.key());
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** A deterministic id: {@code type:entity:startMillis}, e.g. {@code node_down:p00-r01-n02:1764000000000}. */
    public static String idFor(AnomalyType type, String entity, long startMillis) {
        return type.label() + ":" + entity + ":" + startMillis;
    }

    /** True while the problem lasts (this is an open event). */
    public boolean isOpen() {
        return state == AnomalyState.OPEN;
    }

    /**
     * The close event of this (open) anomaly: same id, type, entity, tags and evidence, state closed.
     *
     * @param endMillis when the problem ended; also the close event's {@code eventMillis}
     */
    public Anomaly close(long endMillis) {
        return new Anomaly(id, type, severity, scope, entity, tags, AnomalyState.CLOSED, startMillis, endMillis,
                endMillis, value, threshold, detail, affected, facts);
    }

    /** A builder for an open anomaly; set at least type, entity and startMillis. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /**
     * Builds anomalies. Defaults: scope and severity from the type, id from {@link Anomaly#idFor}, state open,
     * eventMillis = startMillis, value 0, threshold NaN, no detail, no affected entities, no facts.
     */
    public static final class Builder {
        private String id;
        private AnomalyType type;
        private Severity severity;
        private Scope scope;
        private String entity;
        private final Map<String, String> tags = new TreeMap<>();
        private AnomalyState state = AnomalyState.OPEN;
        private Long startMillis;
        private Long endMillis;
        private Long eventMillis;
        private double value;
        private double threshold = Double.NaN;
        private String detail = "";
        private final List<String> affected = new ArrayList<>();
        private final Map<String, Double> facts = new TreeMap<>();

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder type(AnomalyType type) {
            this.type = type;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder scope(Scope scope) {
            this.scope = scope;
            return this;
        }

        public Builder entity(String entity) {
            this.entity = entity;
            return this;
        }

        /** Adds a hierarchy tag; a null value is skipped (an idle chip has no job). */
        public Builder tag(String key, String value) {
            if (value != null) {
                tags.put(key, value);
            }
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            tags.forEach(this::tag);
            return this;
        }

        public Builder state(AnomalyState state) {
            this.state = state;
            return this;
        }

        public Builder startMillis(long startMillis) {
            this.startMillis = startMillis;
            return this;
        }

        public Builder endMillis(Long endMillis) {
            this.endMillis = endMillis;
            return this;
        }

        public Builder eventMillis(long eventMillis) {
            this.eventMillis = eventMillis;
            return this;
        }

        public Builder value(double value) {
            this.value = value;
            return this;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public Builder affected(List<String> affected) {
            this.affected.clear();
            this.affected.addAll(affected);
            return this;
        }

        /** Sets a fact; a value that is not finite (NaN: unknown) is left out. */
        public Builder fact(Fact fact, double value) {
            if (Double.isFinite(value)) {
                facts.put(fact.key(), value);
            } else {
                facts.remove(fact.key());
            }
            return this;
        }

        public Anomaly build() {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(startMillis, "startMillis");
            Scope s = scope != null ? scope : type.defaultScope();
            Severity sev = severity != null ? severity : type.defaultSeverity();
            String i = id != null ? id : idFor(type, entity, startMillis);
            long event = eventMillis != null ? eventMillis : (endMillis != null ? endMillis : startMillis);
            return new Anomaly(i, type, sev, s, entity, tags, state, startMillis, endMillis, event, value,
                    threshold, detail, affected, facts);
        }
    }
}
