package io.chipwatch.model.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The fault catalogue of CONTRACTS.md §2: every fault the simulator can inject, with the kind of entity it targets.
 * {@link #label()} is the name used in scenarios, on the command line, in the ground truth and in anomalies.
 */
public enum FaultType {
    /** Cooling fault on one chip: its temperature climbs 0.5-2 °C/s towards more than 95 °C. */
    OVERHEAT(FaultScope.CHIP),
    /** The rack's inlet air runs 10-20 °C hotter, and so does every chip in it. */
    RACK_COOLING(FaultScope.RACK),
    /** Power capped at ~60 % of the board's maximum; utilisation falls while its job is busy. */
    POWER_THROTTLE(FaultScope.CHIP),
    /** Latency ×5 to ×50 on one link, persistently, seen at both ends. */
    LINK_DEGRADED(FaultScope.LINK),
    /** Bursts of huge latency or missing link entries on one link. */
    LINK_FLAP(FaultScope.LINK),
    /** Utilisation 20-40 % below its job's peers in compute phases. */
    STRAGGLER(FaultScope.CHIP),
    /** The chip stops reporting. */
    CHIP_DOWN(FaultScope.CHIP),
    /** Every chip of the node stops reporting. */
    NODE_DOWN(FaultScope.NODE),
    /** The temperature reading freezes at a constant while power moves. */
    STUCK_SENSOR(FaultScope.CHIP),
    /** One absurd temperature sample (e.g. 150 °C), then normal: must not alert. */
    SENSOR_GLITCH(FaultScope.CHIP);

    private final FaultScope scope;

    FaultType(FaultScope scope) {
        this.scope = scope;
    }

    /** The kind of entity this fault targets. */
    public FaultScope scope() {
        return scope;
    }

    /** The snake-case name: {@code overheat}, {@code rack_cooling}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a label; case-insensitive, {@code -} accepted for {@code _}.
     *
     * @throws IllegalArgumentException naming the valid labels
     */
    public static FaultType fromLabel(String label) {
        String key = label == null ? "" : label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FaultType t : values()) {
            if (t.name().equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown fault type '" + label + "'; expected one of " + labels());
    }

    /** Every label, comma-separated, in catalogue order. */
    public static String labels() {
        return Arrays.stream(values()).map(FaultType::label).collect(Collectors.joining(", "));
    }
}
