package io.chipwatch.model.anomaly;

import io.chipwatch.model.EnumLabels;
import java.util.Optional;

/**
 * What kind of problem an {@link Anomaly} reports: one value per detectable fault of the catalogue (CONTRACTS.md §2).
 * Sensor glitches are deliberately absent: they must not raise anything.
 *
 * <p>Each type names the scope it is normally reported at and a default severity; detectors may report another
 * (a straggler seen at job level, for instance), the anomaly carries its own.
 *
 * <p>Wire compatibility: new types are appended at the end (never reordered or removed), together with the Avro
 * enum in {@code anomaly_v1.avsc}; a reader built before the addition rejects the new type as a malformed record.
 */
public enum AnomalyType {
    /** A chip's temperature climbs towards its critical limit (cooling fault at the chip). */
    OVERHEAT(Scope.CHIP, Severity.CRITICAL),
    /** Every chip of a rack runs hot together: one rack-level anomaly, not one per chip. */
    RACK_COOLING(Scope.RACK, Severity.CRITICAL),
    /** A chip's power is capped well below TDP while its job is busy. */
    POWER_THROTTLE(Scope.CHIP, Severity.WARNING),
    /** A link's latency stays far above its baseline. */
    LINK_DEGRADED(Scope.LINK, Severity.WARNING),
    /** A link alternates between huge latency (or missing samples) and normal. */
    LINK_FLAP(Scope.LINK, Severity.WARNING),
    /** A chip runs well below its job's peers in compute phases. */
    STRAGGLER(Scope.CHIP, Severity.WARNING),
    /** A chip stopped reporting. */
    CHIP_DOWN(Scope.CHIP, Severity.CRITICAL),
    /** Every chip of a node stopped reporting: one node anomaly, chip-level ones suppressed. */
    NODE_DOWN(Scope.NODE, Severity.CRITICAL),
    /** A chip's temperature is frozen at a constant while its power moves. */
    STUCK_SENSOR(Scope.CHIP, Severity.WARNING),
    /**
     * The telemetry path stopped, not the chips: a large part of the fleet (the whole fleet, a source, a Kafka
     * partition) fell silent at once, or no sample arrives at all. Its entity names the component (the samples
     * topic, the collector); chip_down and node_down are not raised for that silence.
     */
    TELEMETRY_SILENT(Scope.SOURCE, Severity.CRITICAL),
    /**
     * Insight from history, not a detector's verdict: a node (or chip) whose anomalies recur, e.g. 3 or more in 7
     * days (a "lemon"). Raised by alerting's periodic history check, never published on Kafka (docs/INSIGHTS.md).
     */
    LEMON(Scope.NODE, Severity.WARNING),
    /**
     * Insight from history: a link whose latency creeps up over hours or days without crossing the degradation
     * threshold. A trend, for the record and for planned replacement: severity info, never a page.
     */
    LINK_WEAR(Scope.LINK, Severity.INFO),
    /**
     * The telemetry path is degraded, not stopped: Kafka does not answer, a Flink job is minutes behind the newest
     * sample (down, too slow, or its checkpoints fail), a receiver cannot be delivered to. Its entity names the
     * component. Raised by alerting's path watch (docs/SELF-MONITORING.md), never published on Kafka.
     */
    PIPELINE_DEGRADED(Scope.SOURCE, Severity.CRITICAL);

    private final Scope defaultScope;
    private final Severity defaultSeverity;

    AnomalyType(Scope defaultScope, Severity defaultSeverity) {
        this.defaultScope = defaultScope;
        this.defaultSeverity = defaultSeverity;
    }

    /** The snake_case name used in labels, tags, rules and the fault catalogue, e.g. {@code chip_down}. */
    public String label() {
        return EnumLabels.label(this);
    }

    /** The scope this type is normally reported at. */
    public Scope defaultScope() {
        return defaultScope;
    }

    /** The severity this type normally has. */
    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** The type whose {@link #label()} is {@code label} (case-insensitive), if any. */
    public static Optional<AnomalyType> fromLabel(String label) {
        return EnumLabels.find(AnomalyType.class, label);
    }
}
