package io.chipwatch.jobs.detection;

import org.apache.flink.connector.base.DeliveryGuarantee;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the detection job publishes anomaly events to Kafka ({@code --anomaly-delivery}).
 *
 * <ul>
 *   <li>{@link #AT_LEAST_ONCE} (default): an event is sent as soon as a detector decides it. After a failure the
 *       job replays from its last checkpoint and may send some events again; they carry the same deterministic id
 *       (CONTRACTS.md §3, anomaly), and consumers (the alerting service) drop repeats by id. Latency does not
 *       depend on the checkpoint interval, so checkpoints can be as rare as the aggregation job's.</li>
 *   <li>{@link #EXACTLY_ONCE}: events are written in Kafka transactions committed when a checkpoint completes, so a
 *       {@code read_committed} consumer sees each exactly once, but only after the next checkpoint: a page waits up to
 *       a checkpoint interval, and every checkpoint snapshots all of the detectors' state.</li>
 * </ul>
 */
public enum AnomalyDelivery {
    AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE),
    EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE);

    private final DeliveryGuarantee guarantee;

    AnomalyDelivery(DeliveryGuarantee guarantee) {
        this.guarantee = guarantee;
    }

    /** The Kafka sink's guarantee. */
    public DeliveryGuarantee guarantee() {
        return guarantee;
    }

    /** The option's spelling, e.g. {@code at-least-once}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }

    /**
     * Parses {@code at-least-once} or {@code exactly-once} (case-insensitive, {@code _} for {@code -} allowed).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AnomalyDelivery parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (AnomalyDelivery d : values()) {
            if (d.label().equals(wanted)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a delivery; use one of "
                + Arrays.stream(values()).map(AnomalyDelivery::label).collect(Collectors.joining(", ")));
    }
}
