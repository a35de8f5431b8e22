package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Resolution;

import java.util.Objects;

/**
 * A {@link CapacityPoint} as a point of measurement {@code <level>_1m} or {@code <level>_1h} ({@code chip_1m},
 * {@code node_1h}, ...), in the retention policy of its resolution; timestamp = start of the minute or hour.
 * <ul>
 *   <li>{@code chip_*}: tags chip, node, rack, pod, job (the chip's job, absent when idle: a chip that changed jobs
 *       has a point per job, like its 10-second points); float fields {@code util_mean, util_max, power_mean}, integers
 *       {@code samples, points}.</li>
 *   <li>{@code node_*} (tags node, rack, pod), {@code rack_*} (rack, pod), {@code pod_*} (pod), {@code cluster_*}
 *       (cluster), {@code job_*} (job): float fields {@code util_mean, util_max, power_sum}, integers
 *       {@code chips} (the most chips reporting in one 10-second window) and {@code points}.</li>
 * </ul>
 */
public final class CapacityPointToPoint implements PointConverter<CapacityPoint> {
    private static final long serialVersionUID = 1L;

    private final String minutePolicy;
    private final String hourPolicy;
    private final String clusterName;

    public CapacityPointToPoint(String minutePolicy, String hourPolicy, String clusterName) {
        this.minutePolicy = Objects.requireNonNull(minutePolicy, "minutePolicy");
        this.hourPolicy = Objects.requireNonNull(hourPolicy, "hourPolicy");
        this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    }

    /** The measurement of a level at a resolution, e.g. {@code rack_1h}. */
    public static String measurement(Level level, Resolution resolution) {
        return level.label() + "_" + resolution.suffix();
    }

    @Override
    public void write(CapacityPoint p, LineProtocol point) {
        if (p.resolution() == Resolution.WINDOW) {
            throw new IllegalArgumentException("a 10-second capacity input row is not written: " + p);
        }
        point.measurement(measurement(p.level(), p.resolution()));
        // Tags and fields in key order.
        switch (p.level()) {
            case CHIP -> point.tag("chip", p.chip()).tag("job", p.job()).tag("node", p.node()).tag("pod", p.pod())
                    .tag("rack", p.rack());
            case NODE -> point.tag("node", p.node()).tag("pod", p.pod()).tag("rack", p.rack());
            case RACK -> point.tag("pod", p.pod()).tag("rack", p.rack());
            case POD -> point.tag("pod", p.pod());
            case CLUSTER -> point.tag("cluster", clusterName);
            case JOB -> point.tag("job", p.job());
        }
        if (p.level() == Level.CHIP) {
            point.field("points", p.points()).field("power_mean", p.powerMean()).field("samples", p.count());
        } else {
            point.field("chips", p.count()).field("points", p.points()).field("power_sum", p.powerMean());
        }
        point.field("util_max", p.utilMax()).field("util_mean", p.utilMean()).time(p.windowStart());
    }

    @Override
    public String retentionPolicy(CapacityPoint p) {
        return p.resolution() == Resolution.HOUR ? hourPolicy : minutePolicy;
    }
}
