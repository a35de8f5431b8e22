package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.jobs.datatypes.Rollup;
import io.chipwatch.jobs.sketch.LatencySketch;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.Objects;

/**
 * Turns the single pre-aggregated {@link ChipWindowAccumulator} of a fired window into a {@link ChipWindow},
 * adding what only the window knows: the key (chip) and the window start (the point's timestamp), with the chip's
 * link latency summary (p50, p99, max over all its links). The chip's {@link LinkWindow}s that {@link LinkDetail}
 * keeps go to the {@link #LINK_WINDOWS} side output, and its contribution to the roll-ups (with all its link
 * latencies in one sketch, the same the summary is read from) to {@link #CHIP_ROLLUPS}.
 */
public class EmitChipWindow extends ProcessWindowFunction<ChipWindowAccumulator, ChipWindow, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** One row per link and reporting chip per window, of the windows and links {@link LinkDetail} keeps. */
    public static final OutputTag<LinkWindow> LINK_WINDOWS =
            new OutputTag<>("link-windows", TypeInformation.of(LinkWindow.class));

    /** Each chip window as a {@link io.chipwatch.jobs.datatypes.Level#CHIP} roll-up row, for the node and job roll-ups. */
    public static final OutputTag<Rollup> CHIP_ROLLUPS =
            new OutputTag<>("chip-rollups", TypeInformation.of(Rollup.class));

    private final LinkDetail linkDetail;

    /** @param linkDetail which link rows go to {@link #LINK_WINDOWS} */
    public EmitChipWindow(LinkDetail linkDetail) {
        this.linkDetail = Objects.requireNonNull(linkDetail, "linkDetail");
    }

    @Override
    public void process(String chip, Context context, Iterable<ChipWindowAccumulator> aggregates,
                        Collector<ChipWindow> out) {
        long windowStart = context.window().getStart();
        // With an incremental aggregate the window holds exactly one element: the accumulator.
        for (ChipWindowAccumulator acc : aggregates) {
            LatencySketch linkLatency = acc.linkLatency();
            ChipWindow window = acc.toChipWindow(chip, windowStart, linkLatency);
            out.collect(window);
            context.output(CHIP_ROLLUPS, Rollup.ofChip(window, linkLatency));
            for (LinkWindow link : acc.toLinkWindows(chip, windowStart)) {
                if (linkDetail.keep(link, window.samples())) {
                    context.output(LINK_WINDOWS, link);
                }
            }
        }
    }
}
