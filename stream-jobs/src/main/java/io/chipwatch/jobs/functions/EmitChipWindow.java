package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.jobs.datatypes.Rollup;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns the single pre-aggregated {@link ChipWindowAccumulator} of a fired window into a {@link ChipWindow},
 * adding what only the window knows: the key (chip) and the window start (the point's timestamp). The chip's
 * {@link LinkWindow}s go to the {@link #LINK_WINDOWS} side output, and its contribution to the roll-ups (with all
 * its link latencies in one sketch) to {@link #CHIP_ROLLUPS}.
 */
public class EmitChipWindow extends ProcessWindowFunction<ChipWindowAccumulator, ChipWindow, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** One row per link and reporting chip per window. */
    public static final OutputTag<LinkWindow> LINK_WINDOWS =
            new OutputTag<>("link-windows", TypeInformation.of(LinkWindow.class));

    /** Each chip window as a {@link io.chipwatch.jobs.datatypes.Level#CHIP} roll-up row, for the node and job roll-ups. */
    public static final OutputTag<Rollup> CHIP_ROLLUPS =
            new OutputTag<>("chip-rollups", TypeInformation.of(Rollup.class));

    @Override
    public void process(String chip, Context context, Iterable<ChipWindowAccumulator> aggregates,
                        Collector<ChipWindow> out) {
        long windowStart = context.window().getStart();
        // With an incremental aggregate the window holds exactly one element: the accumulator.
        for (ChipWindowAccumulator acc : aggregates) {
            ChipWindow window = acc.toChipWindow(chip, windowStart);
            out.collect(window);
            context.output(CHIP_ROLLUPS, Rollup.ofChip(window, acc.linkLatency()));
            for (LinkWindow link : acc.toLinkWindows(chip, windowStart)) {
                context.output(LINK_WINDOWS, link);
            }
        }
    }
}
