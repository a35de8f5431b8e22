package io.chipwatch.jobs.datatypes;

import io.chipwatch.jobs.sketch.LatencySketch;

/**
 * The chips of one entity (a node, rack, pod, the cluster, or a job) summarised over one window: the row behind
 * the {@code node}, {@code rack}, {@code pod}, {@code cluster} and {@code job} points of the storage contract. At
 * level {@link Level#CHIP} it is one chip's contribution, which the node and job roll-ups start from; a rack is
 * then rolled up from its nodes, a pod from its racks and the cluster from its pods. Every field merges exactly
 * (sums, counts, extremes, a mergeable sketch), so rolling up in stages gives the same values as rolling up all
 * chips at once.
 *
 * <p>Only the ids of the entity and the levels above it are set (a rack's row has {@code rack} and {@code pod});
 * the others are {@code null}. A job's row has only {@code job}.
 *
 * @param level       what the row summarises
 * @param node        node id, or {@code null}
 * @param rack        rack id, or {@code null}
 * @param pod         pod id, or {@code null}
 * @param job         job id, or {@code null}
 * @param windowStart window start, epoch ms; the point's timestamp (the same as the chip points it summarises)
 * @param chips       number of chips with at least one sample in the window ({@code chips_reporting})
 * @param utilMeanSum sum over those chips of their {@code util_mean}; {@code util_mean = utilMeanSum / chips}
 * @param utilMin     smallest {@code util_mean} of a chip
 * @param utilMax     largest {@code util_max} of a chip
 * @param tempMax     largest {@code temp_max} of a chip
 * @param powerSum    sum over the chips of their {@code power_mean}
 * @param linkLatency every link latency reading of the chips in the window
 */
public record Rollup(Level level, String node, String rack, String pod, String job, long windowStart,
                     long chips, double utilMeanSum, double utilMin, double utilMax, double tempMax,
                     double powerSum, LatencySketch linkLatency) {

    /** A chip's contribution: its 10-second window as a roll-up of one chip. */
    public static Rollup ofChip(ChipWindow w, LatencySketch linkLatency) {
        return new Rollup(Level.CHIP, w.node(), w.rack(), w.pod(), w.job(), w.windowStart(), 1,
                w.utilMean(), w.utilMean(), w.utilMax(), w.tempMax(), w.powerMean(), linkLatency);
    }

    /** Mean utilisation of the chips: the mean of their {@code util_mean}. */
    public double utilMean() {
        return utilMeanSum / chips;
    }
}
