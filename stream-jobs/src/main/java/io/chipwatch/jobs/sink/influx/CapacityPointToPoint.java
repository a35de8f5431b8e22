package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Resolution;
import org.influxdb.dto.Point;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
    public Point toPoint(CapacityPoint p) {
        if (p.resolution() == Resolution.WINDOW) {
            throw new IllegalArgumentException("a 10-second capacity input row is not written: " + p);
        }
        Point.Builder point = Point.measurement(measurement(p.level(), p.resolution()))
                .time(p.windowStart(), TimeUnit.MILLISECONDS);
        switch (p.level()) {
            case CHIP -> {
                point.tag("chip", p.chip()).tag("node", p.node()).tag("rack", p.rack()).tag("pod", p.pod());
                if (p.job() != null) {
                    point.tag("job", p.job());
                }
            }
            case NODE -> point.tag("node", p.node()).tag("rack", p.rack()).tag("pod", p.pod());
            case RACK -> point.tag("rack", p.rack()).tag("pod", p.pod());
            case POD -> point.tag("pod", p.pod());
            case CLUSTER -> point.tag("cluster", clusterName);
            case JOB -> point.tag("job", p.job());
        }
        point.addField("util_mean", p.utilMean()).addField("util_max", p.utilMax());
        if (p.level() == Level.CHIP) {
            point.addField("power_mean", p.powerMean()).addField("samples", p.count());
        } else {
            point.addField("power_sum", p.powerMean()).addField("chips", p.count());
        }
        return point.addField("points", p.points()).build();
    }

    @Override
    public String retentionPolicy(CapacityPoint p) {
        return p.resolution() == Resolution.HOUR ? hourPolicy : minutePolicy;
    }
}
