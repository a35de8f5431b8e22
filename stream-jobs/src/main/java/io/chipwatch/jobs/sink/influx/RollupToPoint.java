package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Rollup;
import org.influxdb.dto.Point;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
    public Point toPoint(Rollup r) {
        Point.Builder point = Point.measurement(r.level().label()).time(r.windowStart(), TimeUnit.MILLISECONDS);
        switch (r.level()) {
            case NODE -> point.tag("node", r.node()).tag("rack", r.rack()).tag("pod", r.pod());
            case RACK -> point.tag("rack", r.rack()).tag("pod", r.pod());
            case POD -> point.tag("pod", r.pod());
            case CLUSTER -> point.tag("cluster", clusterName);
            case JOB -> point.tag("job", r.job());
            case CHIP -> throw new IllegalArgumentException("a chip's contribution is not written: " + r);
        }
        if (r.level() == Level.JOB) {
            return point
                    .addField("util_mean", r.utilMean())
                    .addField("util_min", r.utilMin())
                    .addField("util_max", r.utilMax())
                    .addField("power_sum", r.powerSum())
                    .addField("chips", r.chips())
                    .build();
        }
        point.addField("util_mean", r.utilMean())
                .addField("util_max", r.utilMax())
                .addField("temp_max", r.tempMax())
                .addField("power_sum", r.powerSum())
                .addField("chips_reporting", r.chips());
        if (!r.linkLatency().isEmpty()) {
            point.addField("link_latency_us_p50", r.linkLatency().percentileMicros(50))
                    .addField("link_latency_us_p99", r.linkLatency().percentileMicros(99));
        }
        return point.build();
    }
}
