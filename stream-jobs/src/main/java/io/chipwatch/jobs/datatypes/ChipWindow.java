package io.chipwatch.jobs.datatypes;

/**
 * One chip's statistics over one event-time window: the row behind a {@code chip} point of the storage
 * contract (CONTRACTS.md §3).
 *
 * @param chip        chip id
 * @param node        node id (from the latest sample in the window)
 * @param rack        rack id
 * @param pod         pod id
 * @param job         the job of the latest sample in the window that had one, or {@code null} if none had
 * @param windowStart window start, epoch ms (inclusive); the point's timestamp
 * @param utilMean    mean utilisation, percent
 * @param utilMax     maximum utilisation, percent
 * @param tempMean    mean temperature, °C
 * @param tempMax     maximum temperature, °C
 * @param powerMean   mean board power, W
 * @param powerMax    maximum board power, W
 * @param samples     number of distinct samples in the window
 * @param linkLatencyUsP50 median of all the chip's link latency readings in the window, µs (from their merged
 *                         {@link io.chipwatch.jobs.sketch.LatencySketch}); NaN when the chip reported no link
 * @param linkLatencyUsP99 99th percentile of those readings, µs; NaN when none
 * @param linkLatencyUsMax largest of those readings, µs (exact); NaN when none
 */
public record ChipWindow(String chip, String node, String rack, String pod, String job, long windowStart,
                         double utilMean, double utilMax, double tempMean, double tempMax,
                         double powerMean, double powerMax, long samples,
                         double linkLatencyUsP50, double linkLatencyUsP99, double linkLatencyUsMax) {
    /** A window without link readings: the link latency summary is NaN. */
    public ChipWindow(String chip, String node, String rack, String pod, String job, long windowStart,
                      double utilMean, double utilMax, double tempMean, double tempMax,
                      double powerMean, double powerMax, long samples) {
        this(chip, node, rack, pod, job, windowStart, utilMean, utilMax, tempMean, tempMax, powerMean, powerMax,
                samples, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Whether the chip reported any link latency in the window. */
    public boolean hasLinkLatency() {
        return !Double.isNaN(linkLatencyUsMax);
    }
}
