package io.chipwatch.jobs.datatypes;

import java.time.Duration;

/** Time resolution of a {@link CapacityPoint}. */
public enum Resolution {
    /** A 10-second point (window size of the job), the input of the capacity roll-ups; never written as capacity. */
    WINDOW("", Duration.ZERO),
    MINUTE("1m", Duration.ofMinutes(1)),
    HOUR("1h", Duration.ofHours(1));

    private final String suffix;
    private final Duration duration;

    Resolution(String suffix, Duration duration) {
        this.suffix = suffix;
        this.duration = duration;
    }

    /** Measurement suffix: {@code chip_1m}, {@code node_1h}, ... */
    public String suffix() {
        return suffix;
    }

    /** Window length. */
    public Duration duration() {
        return duration;
    }
}
