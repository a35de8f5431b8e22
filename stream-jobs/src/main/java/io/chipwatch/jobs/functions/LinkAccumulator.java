package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.sketch.LatencySketch;
import io.chipwatch.model.sample.LinkKind;

/**
 * Running latency statistics of one link of one chip in one window, part of {@link ChipWindowAccumulator}. A Flink
 * POJO (public fields, no-argument constructor): count, sum and maximum for the exact mean and max, and a
 * {@link LatencySketch} for the percentile and for the chip's roll-up.
 */
public class LinkAccumulator {
    public String link;
    public String peer;
    public LinkKind kind;
    public long count;
    public double sum;
    public double max = Double.NEGATIVE_INFINITY;
    public LatencySketch sketch = new LatencySketch();

    public LinkAccumulator() {
    }

    LinkAccumulator(String link, String peer, LinkKind kind) {
        this.link = link;
        this.peer = peer;
        this.kind = kind;
    }

    void add(double latencyUs) {
        count++;
        sum += latencyUs;
        max = Math.max(max, latencyUs);
        sketch.recordMicros(latencyUs);
    }

    /** A new accumulator holding both; neither input changes. */
    static LinkAccumulator merged(LinkAccumulator a, LinkAccumulator b) {
        LinkAccumulator m = new LinkAccumulator(a.link, a.peer, a.kind);
        m.count = a.count + b.count;
        m.sum = a.sum + b.sum;
        m.max = Math.max(a.max, b.max);
        m.sketch = a.sketch.copy();
        m.sketch.merge(b.sketch);
        return m;
    }
}
