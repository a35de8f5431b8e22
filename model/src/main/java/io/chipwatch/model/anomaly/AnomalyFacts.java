package io.chipwatch.model.anomaly;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The contract between the detectors and the alert templates: which {@link Fact}s each anomaly type carries. Every
 * verdict of the type's detector sets the type's {@link #required} facts; the {@link #optional} ones only when the
 * verdict knows them (an overheat called on its level has no rise rate yet). Documented in docs/ANOMALY-FACTS.md;
 * tests hold the detectors to it.
 */
public final class AnomalyFacts {
    private static final Map<AnomalyType, List<Fact>> REQUIRED = new EnumMap<>(AnomalyType.class);
    private static final Map<AnomalyType, List<Fact>> OPTIONAL = new EnumMap<>(AnomalyType.class);

    static {
        define(AnomalyType.OVERHEAT, List.of(Fact.TEMP_C, Fact.LIMIT_C, Fact.EXCESS_C, Fact.EXCESS_LIMIT_C),
                List.of(Fact.RISE_C_PER_S));
        define(AnomalyType.RACK_COOLING, List.of(Fact.EXCESS_C, Fact.EXCESS_LIMIT_C, Fact.CHIPS, Fact.CHIPS_JUDGED,
                Fact.MAX_TEMP_C), List.of());
        define(AnomalyType.POWER_THROTTLE, List.of(Fact.POWER_W, Fact.CAP_W, Fact.TDP_W, Fact.TDP_PCT, Fact.UTIL_PCT,
                Fact.PEER_UTIL_PCT, Fact.PEERS, Fact.SAMPLES), List.of());
        define(AnomalyType.LINK_DEGRADED, List.of(Fact.LATENCY_US, Fact.BASELINE_US, Fact.RATIO, Fact.RATIO_LIMIT,
                Fact.SAMPLES), List.of());
        define(AnomalyType.LINK_FLAP, List.of(Fact.BURSTS, Fact.WINDOW_S, Fact.BASELINE_US),
                List.of(Fact.RATIO, Fact.LATENCY_US, Fact.MISSING_SAMPLES));
        define(AnomalyType.STRAGGLER, List.of(Fact.UTIL_PCT, Fact.PEER_UTIL_PCT, Fact.DEFICIT_PCT,
                Fact.DEFICIT_LIMIT_PCT, Fact.PEERS, Fact.SAMPLES), List.of());
        define(AnomalyType.CHIP_DOWN, List.of(Fact.SILENT_S, Fact.SILENCE_LIMIT_S), List.of());
        define(AnomalyType.NODE_DOWN, List.of(Fact.SILENT_S, Fact.SILENCE_LIMIT_S, Fact.CHIPS), List.of());
        define(AnomalyType.TELEMETRY_SILENT, List.of(Fact.SILENT_S, Fact.SILENCE_LIMIT_S), List.of(Fact.CHIPS));
        define(AnomalyType.STUCK_SENSOR, List.of(Fact.TEMP_C, Fact.REPEATS, Fact.REPEATS_LIMIT, Fact.POWER_RANGE_W),
                List.of());
        define(AnomalyType.LEMON, List.of(Fact.ANOMALIES, Fact.ANOMALIES_LIMIT, Fact.HISTORY_S), List.of());
        define(AnomalyType.LINK_WEAR, List.of(Fact.LATENCY_US, Fact.BASELINE_US, Fact.SLOPE_US_PER_H, Fact.RISE_PCT,
                Fact.RISE_LIMIT_PCT, Fact.HISTORY_S), List.of());
        define(AnomalyType.PIPELINE_DEGRADED, List.of(), List.of(Fact.LAG_S, Fact.LAG_LIMIT_S, Fact.FAILING_S,
                Fact.FAILING_LIMIT_S));
    }

    private AnomalyFacts() {
    }

    private static void define(AnomalyType type, List<Fact> required, List<Fact> optional) {
        REQUIRED.put(type, required);
        OPTIONAL.put(type, optional);
    }

    /** The facts every anomaly of {@code type} carries (a type without a contract yet: none). */
    public static List<Fact> required(AnomalyType type) {
        return REQUIRED.getOrDefault(type, List.of());
    }

    /** The facts an anomaly of {@code type} carries when its verdict knows them. */
    public static List<Fact> optional(AnomalyType type) {
        return OPTIONAL.getOrDefault(type, List.of());
    }
}
