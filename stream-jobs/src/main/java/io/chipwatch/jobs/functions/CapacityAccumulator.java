package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Resolution;

/** Running capacity roll-up of one entity over a minute or an hour; a mutable Flink POJO. */
public class CapacityAccumulator implements InPlaceAggregate.Accumulator<CapacityPoint, CapacityAccumulator> {
    public Level level;
    public String chip;
    public String node;
    public String rack;
    public String pod;
    public String job;
    public long points;
    public double utilMeanSum;
    public double utilMax = Double.NEGATIVE_INFINITY;
    public double powerSum;
    public long count;

    public CapacityAccumulator() {
    }

    @Override
    public void add(CapacityPoint p) {
        if (points == 0) {
            level = p.level();
            chip = p.chip();
            node = p.node();
            rack = p.rack();
            pod = p.pod();
            job = p.job();
        }
        points += p.points();
        utilMeanSum += p.utilMeanSum();
        utilMax = Math.max(utilMax, p.utilMax());
        powerSum += p.powerSum();
        // Samples add up over time; chips reporting do not (the same chips report in every window).
        count = p.level() == Level.CHIP ? count + p.count() : Math.max(count, p.count());
    }

    /** Adds what {@code other} took, as one row (its points counted as they were). */
    @Override
    public void addAll(CapacityAccumulator other) {
        add(other.toPoint(Resolution.WINDOW, 0L));
    }

    /**
     * The row for the window starting at {@code windowStart}.
     *
     * @throws IllegalStateException if nothing was added
     */
    public CapacityPoint toPoint(Resolution resolution, long windowStart) {
        if (points == 0) {
            throw new IllegalStateException("empty capacity window " + windowStart);
        }
        return new CapacityPoint(level, resolution, chip, node, rack, pod, job, windowStart, points, utilMeanSum,
                utilMax, powerSum, count);
    }
}
