package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.LinkWindow;
import org.influxdb.dto.Point;

import java.util.concurrent.TimeUnit;

/**
 * A {@link LinkWindow} as a point of measurement {@value #MEASUREMENT} (CONTRACTS.md §3): tags
 * {@code link,chip,peer,node,rack,pod,kind}; float fields {@code latency_us_mean,latency_us_p99,latency_us_max},
 * integer field {@code samples}; timestamp = window start in milliseconds.
 */
public final class LinkWindowToPoint implements PointConverter<LinkWindow> {
    private static final long serialVersionUID = 1L;

    /** Measurement name. */
    public static final String MEASUREMENT = "link";

    @Override
    public Point toPoint(LinkWindow w) {
        return Point.measurement(MEASUREMENT)
                .time(w.windowStart(), TimeUnit.MILLISECONDS)
                .tag("link", w.link())
                .tag("chip", w.chip())
                .tag("peer", w.peer())
                .tag("node", w.node())
                .tag("rack", w.rack())
                .tag("pod", w.pod())
                .tag("kind", w.kind())
                .addField("latency_us_mean", w.latencyUsMean())
                .addField("latency_us_p99", w.latencyUsP99())
                .addField("latency_us_max", w.latencyUsMax())
                .addField("samples", w.samples())
                .build();
    }
}
