package io.chipwatch.jobs.datatypes;

/**
 * Utilisation history of one chip, node, rack, pod, job or the cluster over a minute or an hour, summarised from
 * its 10-second points: the row behind the capacity measurements ({@code chip_1m}, {@code node_1h}, ...). Every
 * field merges exactly, so an hour is computed from its minutes and equals what its 10-second points give.
 *
 * <p>Each 10-second point counts once: {@code util_mean} of a minute is the mean of the 10-second {@code util_mean}
 * values in it, and {@code power} the mean of their power ({@code power_mean} of a chip, {@code power_sum} of the
 * others). A minute with a missing 10-second point is the mean of the points it has; {@code points} says how many.
 *
 * @param level       chip, node, rack, pod, cluster or job
 * @param resolution  {@link Resolution#WINDOW} for a 10-second input row, else minute or hour
 * @param chip        chip id (chip level only), else {@code null}
 * @param node        node id (chip and node levels), else {@code null}
 * @param rack        rack id (chip, node, rack levels), else {@code null}
 * @param pod         pod id (chip, node, rack, pod levels), else {@code null}
 * @param job         job id: at job level, the job; at chip level, the chip's job in its 10-second points ({@code null}
 *                    when idle; a chip that changes jobs has a row per job, like its 10-second points); else
 *                    {@code null}
 * @param windowStart start of the minute or hour, epoch ms (for a 10-second row, of its window)
 * @param points      number of 10-second points summarised
 * @param utilMeanSum sum of their {@code util_mean}
 * @param utilMax     largest of their {@code util_max}
 * @param powerSum    sum of their power ({@code power_mean} of a chip, {@code power_sum} otherwise)
 * @param count       chip: samples in all those points; other levels: the most chips reporting in one of them
 */
public record CapacityPoint(Level level, Resolution resolution, String chip, String node, String rack, String pod,
                            String job, long windowStart, long points, double utilMeanSum, double utilMax,
                            double powerSum, long count) {

    /** A chip's 10-second window as a capacity input row. */
    public static CapacityPoint of(ChipWindow w) {
        return new CapacityPoint(Level.CHIP, Resolution.WINDOW, w.chip(), w.node(), w.rack(), w.pod(), w.job(),
                w.windowStart(), 1, w.utilMean(), w.utilMax(), w.powerMean(), w.samples());
    }

    /** A 10-second roll-up as a capacity input row. */
    public static CapacityPoint of(Rollup r) {
        return new CapacityPoint(r.level(), Resolution.WINDOW, null, r.node(), r.rack(), r.pod(), r.job(),
                r.windowStart(), 1, r.utilMean(), r.utilMax(), r.powerSum(), r.chips());
    }

    /** The mean of the 10-second {@code util_mean} values. */
    public double utilMean() {
        return utilMeanSum / points;
    }

    /** The mean of the 10-second power values. */
    public double powerMean() {
        return powerSum / points;
    }

    /**
     * The series this row belongs to: the entity at its level (the cluster has one, constant), and for a chip also
     * its job, so that a chip's capacity rows are split by job as its 10-second points are.
     */
    public String series() {
        return level == Level.CHIP ? chip + '|' + (job == null ? "" : job) : entity();
    }

    /** The id of the entity at its level (the cluster has one, constant). */
    public String entity() {
        return switch (level) {
            case CHIP -> chip;
            case NODE -> node;
            case RACK -> rack;
            case POD -> pod;
            case CLUSTER -> "cluster";
            case JOB -> job;
        };
    }
}
