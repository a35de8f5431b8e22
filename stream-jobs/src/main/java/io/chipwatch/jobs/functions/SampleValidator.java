package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Topology;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a decoded sample may be aggregated, and if not, why: the checks behind the dead-letter reasons
 * {@code MISSING_ID} ... {@code OUT_OF_RANGE}. Shared by {@link DecodeSamples} (which routes rejected samples to the
 * dead letters) and {@link SampleTimestamps} (so that a sample timestamped in the far future or past never moves
 * the watermark).
 *
 * <p>Physical ranges (inclusive): utilisation {@value #UTIL_MIN}-{@value #UTIL_MAX} %, temperature
 * {@value #TEMP_MIN_C} to {@value #TEMP_MAX_C} °C, board power {@value #POWER_MIN_W}-{@value #POWER_MAX_W} W, link
 * latency {@value #LATENCY_MIN_US} to {@value #LATENCY_MAX_US} µs (one second: anything slower is a broken reading,
 * not a slow link). Time: at most {@code maxFuture} ahead of the clock and at most {@code maxAge} behind it.
 *
 * <p>Serializable, travels with the functions; the topology's chip ids are built on first use on the task side.
 */
public final class SampleValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double UTIL_MIN = 0;
    public static final double UTIL_MAX = 100;
    public static final double TEMP_MIN_C = -40;
    public static final double TEMP_MAX_C = 150;
    public static final double POWER_MIN_W = 0;
    public static final double POWER_MAX_W = 2000;
    public static final double LATENCY_MIN_US = 0;
    public static final double LATENCY_MAX_US = 1_000_000;

    /** Why a sample was rejected. */
    public record Rejection(DeadLetter.Reason reason, String message) {
    }

    private final Clock clock;
    private final long maxFutureMillis;
    private final long maxAgeMillis;
    /** Chips of {@code Topology.build(ClusterShape.DEFAULT, chipCount)}, or 0 to accept any chip id. */
    private final int chipCount;
    private transient Set<String> knownChips;

    /**
     * @param clock     processing-time clock the timestamps are checked against
     * @param maxFuture how far ahead of the clock a sample may be timestamped
     * @param maxAge    how far behind the clock a sample may be timestamped
     * @param chipCount size of the default-shape topology whose chip ids are the only ones accepted; 0 for any id
     */
    public SampleValidator(Clock clock, Duration maxFuture, Duration maxAge, int chipCount) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxFutureMillis = maxFuture.toMillis();
        this.maxAgeMillis = maxAge.toMillis();
        if (chipCount < 0) {
            throw new IllegalArgumentException("chip count must not be negative, got " + chipCount);
        }
        this.chipCount = chipCount;
    }

    /** Why the sample must not be aggregated, or {@code null} when it is fine. */
    public Rejection check(ChipSample s) {
        if (s.chip().isBlank() || s.node().isBlank() || s.rack().isBlank() || s.pod().isBlank()) {
            return new Rejection(DeadLetter.Reason.MISSING_ID, "blank id: chip '" + s.chip() + "', node '" + s.node()
                    + "', rack '" + s.rack() + "', pod '" + s.pod() + "'");
        }
        if (chipCount > 0 && !knownChips().contains(s.chip())) {
            return new Rejection(DeadLetter.Reason.UNKNOWN_CHIP,
                    "chip '" + s.chip() + "' is not in the " + chipCount + "-chip topology");
        }
        Rejection time = checkTimestamp(s.timestampMillis());
        if (time != null) {
            return time;
        }
        String nonFinite = nonFinite(s);
        if (nonFinite != null) {
            return new Rejection(DeadLetter.Reason.NON_FINITE, nonFinite);
        }
        String outOfRange = outOfRange(s);
        if (outOfRange != null) {
            return new Rejection(DeadLetter.Reason.OUT_OF_RANGE, outOfRange);
        }
        return null;
    }

    /** Whether a sample with this timestamp may take part in event time (move the watermark). */
    public boolean timestampAcceptable(long timestampMillis) {
        return checkTimestamp(timestampMillis) == null;
    }

    private Rejection checkTimestamp(long ts) {
        long now = clock.millis();
        if (ts > now + maxFutureMillis) {
            return new Rejection(DeadLetter.Reason.FUTURE_TIMESTAMP, "timestamp " + Instant.ofEpochMilli(ts)
                    + " is more than " + Duration.ofMillis(maxFutureMillis) + " ahead of the job's clock ("
                    + Instant.ofEpochMilli(now) + ")");
        }
        if (ts < now - maxAgeMillis) {
            return new Rejection(DeadLetter.Reason.STALE_TIMESTAMP, "timestamp " + Instant.ofEpochMilli(ts)
                    + " is more than " + Duration.ofMillis(maxAgeMillis) + " behind the job's clock ("
                    + Instant.ofEpochMilli(now) + "), older than the raw data is kept");
        }
        return null;
    }

    private static String nonFinite(ChipSample s) {
        if (!Double.isFinite(s.util())) {
            return "util is " + s.util();
        }
        if (!Double.isFinite(s.tempC())) {
            return "tempC is " + s.tempC();
        }
        if (!Double.isFinite(s.powerW())) {
            return "powerW is " + s.powerW();
        }
        for (LinkLatency l : s.links()) {
            if (!Double.isFinite(l.latencyUs())) {
                return "latencyUs of link " + l.link() + " is " + l.latencyUs();
            }
        }
        return null;
    }

    private static String outOfRange(ChipSample s) {
        if (s.util() < UTIL_MIN || s.util() > UTIL_MAX) {
            return "util " + s.util() + " is outside " + UTIL_MIN + "-" + UTIL_MAX + " %";
        }
        if (s.tempC() < TEMP_MIN_C || s.tempC() > TEMP_MAX_C) {
            return "tempC " + s.tempC() + " is outside " + TEMP_MIN_C + " to " + TEMP_MAX_C + " °C";
        }
        if (s.powerW() < POWER_MIN_W || s.powerW() > POWER_MAX_W) {
            return "powerW " + s.powerW() + " is outside " + POWER_MIN_W + "-" + POWER_MAX_W + " W";
        }
        for (LinkLatency l : s.links()) {
            if (l.latencyUs() < LATENCY_MIN_US || l.latencyUs() > LATENCY_MAX_US) {
                return "latencyUs " + l.latencyUs() + " of link " + l.link() + " is outside " + LATENCY_MIN_US
                        + " to " + LATENCY_MAX_US + " µs";
            }
        }
        return null;
    }

    private Set<String> knownChips() {
        if (knownChips == null) {
            Set<String> ids = new HashSet<>(chipCount * 2);
            for (Chip chip : Topology.build(ClusterShape.DEFAULT, chipCount).chips()) {
                ids.add(chip.id());
            }
            knownChips = ids;
        }
        return knownChips;
    }
}
