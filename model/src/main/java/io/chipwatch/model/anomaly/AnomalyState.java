package io.chipwatch.model.anomaly;

import java.util.Locale;

/** Whether an anomaly event announces the start ({@link #OPEN}) or the end ({@link #CLOSED}) of a problem. */
public enum AnomalyState {
    OPEN, CLOSED;

    /** {@code open} or {@code closed}, as written to InfluxDB. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
