package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.ChipWindow;

/**
 * A {@link ChipWindow} as a point of measurement {@value #MEASUREMENT} in the storage contract (CONTRACTS.md §3):
 * tags {@code chip,node,rack,pod,job} ({@code job} left out when the chip had none: InfluxDB has no null tag
 * values), float fields {@code util_mean,util_max,temp_mean,temp_max,power_mean,power_max}, integer field
 * {@code samples}, and the chip's link latency summary {@code link_latency_us_p50,link_latency_us_p99,link_latency_us_max}
 * (float) when it reported any link reading in the window; timestamp = window start in milliseconds.
 *
 * <p>Measured values are always written as floats, even when whole: a field's type is fixed by its first write
 * and a later float into an integer field would be rejected.
 */
public final class ChipWindowToPoint implements PointConverter<ChipWindow> {
    private static final long serialVersionUID = 1L;

    /** Measurement name. */
    public static final String MEASUREMENT = "chip";

    @Override
    public void write(ChipWindow w, LineProtocol point) {
        // Tags and fields in key order; no job tag when the chip had none.
        point.measurement(MEASUREMENT)
                .tag("chip", w.chip())
                .tag("job", w.job())
                .tag("node", w.node())
                .tag("pod", w.pod())
                .tag("rack", w.rack());
        if (w.hasLinkLatency()) {
            point.field("link_latency_us_max", w.linkLatencyUsMax())
                    .field("link_latency_us_p50", w.linkLatencyUsP50())
                    .field("link_latency_us_p99", w.linkLatencyUsP99());
        }
        point.field("power_max", w.powerMax())
                .field("power_mean", w.powerMean())
                .field("samples", w.samples())
                .field("temp_max", w.tempMax())
                .field("temp_mean", w.tempMean())
                .field("util_max", w.utilMax())
                .field("util_mean", w.utilMean())
                .time(w.windowStart());
    }
}
