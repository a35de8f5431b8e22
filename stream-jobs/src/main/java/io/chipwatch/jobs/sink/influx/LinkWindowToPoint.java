package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.LinkWindow;

/**
 * A {@link LinkWindow} as a point of measurement {@value #MEASUREMENT} (CONTRACTS.md §3): tags
 * {@code link,chip,peer,node,rack,pod,kind}; float fields {@code latency_us_mean,latency_us_p99,latency_us_max},
 * integer field {@code samples}; timestamp = window start in milliseconds. Which link windows are written is
 * {@link io.chipwatch.jobs.functions.LinkDetail}'s choice.
 */
public final class LinkWindowToPoint implements PointConverter<LinkWindow> {
    private static final long serialVersionUID = 1L;

    /** Measurement name. */
    public static final String MEASUREMENT = "link";

    @Override
    public void write(LinkWindow w, LineProtocol point) {
        // Tags and fields in key order.
        point.measurement(MEASUREMENT)
                .tag("chip", w.chip())
                .tag("kind", w.kind())
                .tag("link", w.link())
                .tag("node", w.node())
                .tag("peer", w.peer())
                .tag("pod", w.pod())
                .tag("rack", w.rack())
                .field("latency_us_max", w.latencyUsMax())
                .field("latency_us_mean", w.latencyUsMean())
                .field("latency_us_p99", w.latencyUsP99())
                .field("samples", w.samples())
                .time(w.windowStart());
    }
}
