package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.ChipWindow;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns the single pre-aggregated {@link ChipWindowAccumulator} of a fired window into a {@link ChipWindow},
 * adding what only the window knows: the key (chip) and the window start (the point's timestamp).
 */
public class EmitChipWindow extends ProcessWindowFunction<ChipWindowAccumulator, ChipWindow, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String chip, Context context, Iterable<ChipWindowAccumulator> aggregates,
                        Collector<ChipWindow> out) {
        // With an incremental aggregate the window holds exactly one element: the accumulator.
        for (ChipWindowAccumulator acc : aggregates) {
            out.collect(acc.toChipWindow(chip, context.window().getStart()));
        }
    }
}
