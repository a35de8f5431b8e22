package io.chipwatch.model.anomaly;

import io.chipwatch.model.EnumLabels;

import java.util.Optional;

/**
 * One named quantity an anomaly can carry as evidence ({@link Anomaly#facts()}), with its unit: what an alert shows
 * by name ({@code {{temp_c}}} in an alert template). The name says the unit ({@code _c} °C, {@code _w} W,
 * {@code _us} µs, {@code _s} seconds, {@code _pct} percent 0-100, {@code ratio} a plain multiple, ×); which facts
 * each anomaly type carries is {@link AnomalyFacts}. The contract is documented in docs/ANOMALY-FACTS.md.
 *
 * <p>Wire compatibility: facts travel by {@link #key()}, so new facts may be added in any order; a key is never
 * renamed or given another unit.
 */
public enum Fact {
    /** The chip's temperature at detection. */
    TEMP_C("°C", "the chip's temperature at detection"),
    /** The critical temperature limit the chip is heading for. */
    LIMIT_C("°C", "the critical temperature limit"),
    /** How fast the chip heats beyond what its power and rack explain. */
    RISE_C_PER_S("°C/s", "how fast it heats beyond what its power and rack explain"),
    /** How far the temperature is above what the chip's power and its rack explain. */
    EXCESS_C("°C", "temperature above what its power and rack explain (for a rack: the median over its chips)"),
    /** The excess the detector alerts at. */
    EXCESS_LIMIT_C("°C", "the excess the detector alerts at"),
    /** The hottest reading among the affected chips. */
    MAX_TEMP_C("°C", "the hottest temperature among the affected chips"),
    /** How many chips are affected (hot, silent). */
    CHIPS("chips", "how many chips the problem covers"),
    /** How many chips were judged (the rack's warm chips). */
    CHIPS_JUDGED("chips", "how many chips were judged together"),
    /** The chip's mean utilisation over the judged compute samples. */
    UTIL_PCT("%", "the chip's mean utilisation over the judged compute samples"),
    /** The median utilisation of its peers over the same samples. */
    PEER_UTIL_PCT("%", "its job peers' median utilisation over the same samples"),
    /** How far the chip is below its peers, relative to the peers: {@code 100 (peer - chip) / peer}. */
    DEFICIT_PCT("%", "how far below its peers, relative to them: 100 x (peers - chip) / peers"),
    /** The deficit the detector alerts at. */
    DEFICIT_LIMIT_PCT("%", "the deficit the detector alerts at"),
    /** How many peers the chip was compared with. */
    PEERS("chips", "how many job peers it was compared with"),
    /** How many samples the verdict was judged over. */
    SAMPLES("samples", "how many samples the verdict was judged over"),
    /** The chip's highest power over the judged samples. */
    POWER_W("W", "the chip's highest power over the judged samples"),
    /** The power a chip held at a ceiling must stay under to count as throttled (the detector's limit). */
    CAP_W("W", "the power a chip held at a ceiling stays under to count as throttled (the detector's limit)"),
    /** The chip's thermal design power. */
    TDP_W("W", "the chip's thermal design power (TDP)"),
    /** The chip's power as a percentage of its TDP. */
    TDP_PCT("%", "its power as a percentage of TDP"),
    /** The link's latency when the anomaly opened. */
    LATENCY_US("µs", "the link's latency when the anomaly opened"),
    /** The link's learned normal latency. */
    BASELINE_US("µs", "the link's learned normal latency"),
    /** The latency as a multiple of the baseline. */
    RATIO("×", "latency as a multiple of the baseline"),
    /** The multiple of the baseline the detector counts as bad. */
    RATIO_LIMIT("×", "the multiple of the baseline counted as bad"),
    /** How many bad bursts (episodes) the link had within the window. */
    BURSTS("bursts", "bad episodes (latency bursts or missing readings) within the window"),
    /** The window the bursts were counted in. */
    WINDOW_S("s", "the window the bursts were counted in"),
    /** How many link readings were missing in a row. */
    MISSING_SAMPLES("samples", "link readings missing in a row while the chip reported"),
    /** How long since the chip's (for a node: its last chip's) last sample, at detection. */
    SILENT_S("s", "time since the chip's last sample at detection (for a node: the last sample of any of its chips)"),
    /** The silence the detector alerts at. */
    SILENCE_LIMIT_S("s", "the silence the detector alerts at"),
    /** How many identical readings in a row. */
    REPEATS("samples", "identical temperature readings in a row"),
    /** The repeats the detector alerts at. */
    REPEATS_LIMIT("samples", "the repeats the detector alerts at"),
    /** How far the power moved while the temperature stood still. */
    POWER_RANGE_W("W", "how far the power moved while the temperature stood still"),
    /** Anomalies of a repeat offender that opened within the history judged (insight, docs/INSIGHTS.md). */
    ANOMALIES("anomalies", "anomalies of the entity that opened within the history judged"),
    /** The count of anomalies at which an entity is a repeat offender. */
    ANOMALIES_LIMIT("anomalies", "the count at which an entity is a repeat offender"),
    /** How far back an insight from history looks. */
    HISTORY_S("s", "the history judged, back from the check"),
    /** A wearing link's latency trend: robust (Theil-Sen) slope of its hourly medians. */
    SLOPE_US_PER_H("µs/h", "the link's latency trend, the robust slope of its hourly medians"),
    /** How much a wearing link's latency rose over the history, relative to where the trend started. */
    RISE_PCT("%", "how much the link's latency rose over the history, relative to where its trend started"),
    /** The rise at which a link counts as wearing. */
    RISE_LIMIT_PCT("%", "the rise at which a link counts as wearing"),
    /** How far a stream job's committed position is behind the newest sample, in seconds of samples. */
    LAG_S("s", "how far the job's committed position is behind the newest sample (records behind ÷ ingest rate)"),
    /** The lag the path watch alerts at. */
    LAG_LIMIT_S("s", "the lag the path watch alerts at"),
    /** How long a component has failed every attempt to reach it. */
    FAILING_S("s", "how long every attempt to reach the component has failed"),
    /** The failing time the path watch alerts at. */
    FAILING_LIMIT_S("s", "how long a component may fail before the path watch alerts");

    private final String unit;
    private final String description;

    Fact(String unit, String description) {
        this.unit = unit;
        this.description = description;
    }

    /** The snake_case name: the key in {@link Anomaly#facts()} and the alert template placeholder. */
    public String key() {
        return EnumLabels.label(this);
    }

    /** The unit the value is in ({@code °C}, {@code W}, {@code µs}, {@code s}, {@code %}, {@code ×}, counts). */
    public String unit() {
        return unit;
    }

    /** What the value is, for the documentation. */
    public String description() {
        return description;
    }

    /** The fact whose {@link #key()} is {@code key}, if any. */
    public static Optional<Fact> fromKey(String key) {
        return EnumLabels.find(Fact.class, key);
    }
}
