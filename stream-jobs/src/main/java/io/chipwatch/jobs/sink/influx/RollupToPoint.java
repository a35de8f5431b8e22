package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Rollup;

import java.util.Objects;

/**
 * A {@link Rollup} as a point of the storage contract (CONTRACTS.md §3); timestamp = window start in milliseconds.
 * <ul>
 *   <li>{@code node} (tags node, rack, pod), {@code rack} (rack, pod), {@code pod} (pod), {@code cluster}
 *       (cluster = the configured cluster name): float fields {@code util_mean, util_max, temp_max, power_sum},
 *       integer {@code chips_reporting}, and {@code link_latency_us_p50, link_latency_us_p99} when the chips
 *       reported any link latency (InfluxDB has no null field values).</li>
 *   <li>{@code job} (tag job): float fields {@code util_mean, util_min, util_max, power_sum}, integer
 *       {@code chips}. {@code util_min} is the smallest {@code util_mean} of the job's chips (its straggler).</li>
 * </ul>
 */
public final class RollupToPoint implements PointConverter<Rollup> {
    private static final long serialVersionUID = 1L;

    private final String clusterName;

    /** @param clusterName value of the {@code cluster} tag of {@code cluster} points */
    public RollupToPoint(String clusterName) {
        this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    }

    @Override
    public void write(Rollup r, LineProtocol point) {
        if (r.level() == Level.CHIP) {
            throw new IllegalArgumentException("a chip's contribution is not written: " + r);
        }
        point.measurement(r.level().label());
        // Tags and fields in key order.
        switch (r.level()) {
            case NODE -> point.tag("node", r.node()).tag("pod", r.pod()).tag("rack", r.rack());
            case RACK -> point.tag("pod", r.pod()).tag("rack", r.rack());
            case POD -> point.tag("pod", r.pod());
            case CLUSTER -> point.tag("cluster", clusterName);
            case JOB, CHIP -> point.tag("job", r.job());
        }
        if (r.level() == Level.JOB) {
            point.field("chips", r.chips())
                    .field("power_sum", r.powerSum())
                    .field("util_max", r.utilMax())
                    .field("util_mean", r.utilMean())
                    .field("util_min", r.utilMin());
        } else {
            point.field("chips_reporting", r.chips());
            if (!r.linkLatency().isEmpty()) {
                point.field("link_latency_us_p50", r.linkLatency().percentileMicros(50))
                        .field("link_latency_us_p99", r.linkLatency().percentileMicros(99));
            }
            point.field("power_sum", r.powerSum())
                    .field("temp_max", r.tempMax())
                    .field("util_max", r.utilMax())
                    .field("util_mean", r.utilMean());
        }
        point.time(r.windowStart());
    }
}
