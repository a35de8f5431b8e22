package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One chip sample reduced to what the peer and topology detectors compare, plus the per-chip thermal features
 * computed by {@link io.chipwatch.jobs.detect.ThermalFeatures}: small, no links, so that shuffling it to node and
 * rack keys is cheap.
 *
 * @param timestampMillis event time of the sample
 * @param chip            chip id
 * @param node            node id
 * @param rack            rack id
 * @param pod             pod id
 * @param job             job id, or {@code null} for an idle chip
 * @param util            utilisation, percent
 * @param powerW          board power, W
 * @param tempC           temperature after glitch rejection (a rejected reading is replaced by the last good one)
 * @param excessC         how much hotter the chip runs than its own thermal model expects (°C, 0 = as expected)
 * @param suspect         whether the reading is no evidence of the temperature's course: a suspected glitch (its
 *                        temperature replaced by the last good one), or a reading that arrived out of order (its
 *                        excess is against the model of a later instant)
 * @param warm            whether the chip's thermal model has settled ({@code excessC} is meaningful)
 * @param intraLinks      how many intra-node links the sample measured (0 when it carried none): a node peer that
 *                        stops leaves its link dark, so the silence detector reads a chip's silence against its
 *                        node peers' links to it
 */
@TypeInfo(ChipReadingTypeInfoFactory.class)
public record ChipReading(long timestampMillis, String chip, String node, String rack, String pod, String job,
                          double util, double powerW, double tempC, double excessC, boolean suspect,
                          boolean warm, int intraLinks) {

    public ChipReading {
        if (intraLinks < 0 || intraLinks > 255) {
            throw new IllegalArgumentException("intraLinks must be within [0, 255], got " + intraLinks);
        }
    }

    /**
     * The temperature the chip's thermal model expected, °C: the reading less its excess (inlet, baseline and the
     * model's resistance times the lagged power). Meaningful when {@code warm}.
     */
    public double expectedC() {
        return tempC - excessC;
    }

    /** A reading of a sample that carried no intra-node link. */
    public ChipReading(long timestampMillis, String chip, String node, String rack, String pod, String job,
                       double util, double powerW, double tempC, double excessC, boolean suspect, boolean warm) {
        this(timestampMillis, chip, node, rack, pod, job, util, powerW, tempC, excessC, suspect, warm, 0);
    }
}
