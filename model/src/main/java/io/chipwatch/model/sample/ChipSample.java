package io.chipwatch.model.sample;

import java.util.List;
import java.util.Objects;

/**
 * One chip's reading at one instant: the unit of data that flows from collectors through Kafka into the
 * stream jobs. Immutable. The hierarchy ids travel with the sample so that consumers need no topology lookup
 * and real sources with their own naming work too.
 *
 * @param timestampMillis event time, epoch milliseconds
 * @param chip            chip id
 * @param node            id of the node holding the chip
 * @param rack            id of the rack holding the node
 * @param pod             id of the pod holding the rack
 * @param job             id of the job owning the chip, or {@code null} when the chip is idle
 * @param util            utilisation in percent, 0-100
 * @param tempC           die temperature in degrees Celsius
 * @param powerW          board power in watts
 * @param links           latency of each of the chip's links
 */
public record ChipSample(long timestampMillis, String chip, String node, String rack, String pod, String job,
                         double util, double tempC, double powerW, List<LinkLatency> links) {
    public ChipSample {
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(pod, "pod");
        links = List.copyOf(links);
    }
}
