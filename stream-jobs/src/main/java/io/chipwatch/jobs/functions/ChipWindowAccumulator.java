package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.ChipWindow;

/**
 * Running statistics of one chip in one window, kept in window state by {@link ChipWindowAggregate}. A mutable
 * Flink POJO (public no-argument constructor, public fields) so that Flink serializes it with its POJO
 * serializer and the aggregate can update it in place instead of allocating per sample.
 */
public class ChipWindowAccumulator {
    /** Number of samples added. */
    public long count;
    public double utilSum;
    public double utilMax = Double.NEGATIVE_INFINITY;
    public double tempSum;
    public double tempMax = Double.NEGATIVE_INFINITY;
    public double powerSum;
    public double powerMax = Double.NEGATIVE_INFINITY;

    /** Time of the latest sample, which the hierarchy ids are taken from. */
    public long latestTimestamp = Long.MIN_VALUE;
    public String node;
    public String rack;
    public String pod;

    /** Time of the latest sample that had a job, or {@link Long#MIN_VALUE} if none had. */
    public long jobTimestamp = Long.MIN_VALUE;
    public String job;

    public ChipWindowAccumulator() {
    }

    /**
     * The window's row.
     *
     * @throws IllegalStateException if no sample was added (Flink never fires an empty window)
     */
    public ChipWindow toChipWindow(String chip, long windowStart) {
        if (count == 0) {
            throw new IllegalStateException("no samples for chip " + chip + " in window " + windowStart);
        }
        return new ChipWindow(chip, node, rack, pod, job, windowStart,
                utilSum / count, utilMax, tempSum / count, tempMax, powerSum / count, powerMax, count);
    }
}
