package io.chipwatch.collector.source.prometheus;

import java.util.Map;
import java.util.Objects;

/**
 * One sample line of a Prometheus text exposition: {@code name{labels} value [timestamp]}.
 *
 * @param name            metric name, e.g. {@code DCGM_FI_DEV_GPU_UTIL}
 * @param labels          label names to values, unescaped, in the order written
 * @param value           the value ({@code NaN} and infinities as written)
 * @param timestampMillis the sample's own timestamp, or {@code null} when the line has none (the usual case)
 */
public record Series(String name, Map<String, String> labels, double value, Long timestampMillis) {
    public Series {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
    }

    /** The label's value, or null. */
    public String label(String key) {
        return labels.get(key);
    }
}
