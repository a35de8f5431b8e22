package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Rollup;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns the accumulator of a fired roll-up window into the {@link Rollup} row of its level. */
public class EmitRollup extends ProcessWindowFunction<RollupAccumulator, Rollup, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final Level level;

    public EmitRollup(Level level) {
        this.level = level;
    }

    @Override
    public void process(String key, Context context, Iterable<RollupAccumulator> aggregates, Collector<Rollup> out) {
        for (RollupAccumulator acc : aggregates) {
            out.collect(acc.toRollup(level, context.window().getStart()));
        }
    }
}
