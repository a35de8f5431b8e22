package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.ChipWindow;
import org.influxdb.dto.Point;

import java.util.concurrent.TimeUnit;

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
    public Point toPoint(ChipWindow w) {
        Point.Builder point = Point.measurement(MEASUREMENT)
                .time(w.windowStart(), TimeUnit.MILLISECONDS)
                .tag("chip", w.chip())
                .tag("node", w.node())
                .tag("rack", w.rack())
                .tag("pod", w.pod());
        if (w.job() != null) {
            point.tag("job", w.job());
        }
        if (w.hasLinkLatency()) {
            point.addField("link_latency_us_p50", w.linkLatencyUsP50())
                    .addField("link_latency_us_p99", w.linkLatencyUsP99())
                    .addField("link_latency_us_max", w.linkLatencyUsMax());
        }
        return point
                .addField("util_mean", w.utilMean())
                .addField("util_max", w.utilMax())
                .addField("temp_mean", w.tempMean())
                .addField("temp_max", w.tempMax())
                .addField("power_mean", w.powerMean())
                .addField("power_max", w.powerMax())
                .addField("samples", w.samples())
                .build();
    }
}
