package io.chipwatch.alerting.insight;

import java.util.Objects;

/**
 * One point of the {@code anomaly} measurement (CONTRACTS.md §3) as the insights read it: an anomaly's open or close
 * event. Tags an anomaly does not carry are empty strings.
 *
 * @param id         the anomaly id, the same in its open and close events
 * @param type       anomaly type label, e.g. {@code straggler}
 * @param scope      scope label, e.g. {@code chip}
 * @param entity     the entity at fault
 * @param rack       rack tag ({@code ""} when none)
 * @param node       node tag ({@code ""} when none)
 * @param chip       chip tag ({@code ""} when none)
 * @param link       link tag ({@code ""} when none)
 * @param job        job tag ({@code ""} when none)
 * @param open       true for the open event, false for the close
 * @param value      the point's {@code value} field ({@code NaN} when absent)
 * @param timeMillis the point's time: detection for an open event, the end for a close
 */
public record AnomalyEvent(String id, String type, String scope, String entity, String rack, String node, String chip,
                           String link, String job, boolean open, double value, long timeMillis) {
    /** An event without a rack tag. */
    public AnomalyEvent(String id, String type, String scope, String entity, String node, String chip, String link,
                        String job, boolean open, double value, long timeMillis) {
        this(id, type, scope, entity, "", node, chip, link, job, open, value, timeMillis);
    }

    public AnomalyEvent {
        Objects.requireNonNull(id, "id");
        type = blankIfNull(type);
        scope = blankIfNull(scope);
        entity = blankIfNull(entity);
        rack = blankIfNull(rack);
        node = blankIfNull(node);
        chip = blankIfNull(chip);
        link = blankIfNull(link);
        job = blankIfNull(job);
    }

    private static String blankIfNull(String s) {
        return s == null ? "" : s;
    }
}
