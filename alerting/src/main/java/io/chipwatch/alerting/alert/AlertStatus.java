package io.chipwatch.alerting.alert;

import java.util.Locale;

/** Where an alert is in its life. */
public enum AlertStatus {
    /** Its anomaly is open but the rule's {@code for} has not elapsed yet: nobody is told. */
    PENDING,
    /** Active: receivers are told (unless silenced, inhibited or, for repeats, acknowledged). */
    FIRING,
    /** Its anomalies closed. */
    RESOLVED;

    /** {@code pending}, {@code firing}, {@code resolved}: the wire and API spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
