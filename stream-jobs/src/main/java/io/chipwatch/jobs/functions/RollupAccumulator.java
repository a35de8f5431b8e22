package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Rollup;
import io.chipwatch.jobs.sketch.LatencySketch;

/**
 * Running roll-up of one entity in one window, kept in window state by {@link RollupAggregate}. A mutable Flink
 * POJO, updated in place.
 */
public class RollupAccumulator implements InPlaceAggregate.Accumulator<Rollup, RollupAccumulator> {
    public long chips;
    public double utilMeanSum;
    public double utilMin = Double.POSITIVE_INFINITY;
    public double utilMax = Double.NEGATIVE_INFINITY;
    public double tempMax = Double.NEGATIVE_INFINITY;
    public double powerSum;
    public LatencySketch linkLatency = new LatencySketch();
    /** Ids from the first row added; the level's own and those above it are the same for every row. */
    public String node;
    public String rack;
    public String pod;
    public String job;

    public RollupAccumulator() {
    }

    @Override
    public void add(Rollup r) {
        if (chips == 0) {
            node = r.node();
            rack = r.rack();
            pod = r.pod();
            job = r.job();
        }
        chips += r.chips();
        utilMeanSum += r.utilMeanSum();
        utilMin = Math.min(utilMin, r.utilMin());
        utilMax = Math.max(utilMax, r.utilMax());
        tempMax = Math.max(tempMax, r.tempMax());
        powerSum += r.powerSum();
        linkLatency.merge(r.linkLatency());
    }

    @Override
    public void addAll(RollupAccumulator other) {
        if (chips == 0) {
            node = other.node;
            rack = other.rack;
            pod = other.pod;
            job = other.job;
        }
        chips += other.chips;
        utilMeanSum += other.utilMeanSum;
        utilMin = Math.min(utilMin, other.utilMin);
        utilMax = Math.max(utilMax, other.utilMax);
        tempMax = Math.max(tempMax, other.tempMax);
        powerSum += other.powerSum;
        linkLatency.merge(other.linkLatency);
    }

    /**
     * The row of {@code level}, keeping only the ids of that level and the levels above it.
     *
     * @throws IllegalStateException if nothing was added (Flink never fires an empty window)
     */
    public Rollup toRollup(Level level, long windowStart) {
        if (chips == 0) {
            throw new IllegalStateException("no chips in the " + level.label() + " roll-up of window " + windowStart);
        }
        return new Rollup(level,
                level == Level.NODE ? node : null,
                level == Level.NODE || level == Level.RACK ? rack : null,
                level == Level.NODE || level == Level.RACK || level == Level.POD ? pod : null,
                level == Level.JOB ? job : null,
                windowStart, chips, utilMeanSum, utilMin, utilMax, tempMax, powerSum, linkLatency);
    }
}
