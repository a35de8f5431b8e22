package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.Rollup;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incrementally merges the rows of an entity's members in a window (a node's chips, a rack's nodes, ...): counts and
 * sums add, extremes combine, latency sketches merge. The result is the accumulator; {@link EmitRollup} adds the
 * level and window start.
 */
public class RollupAggregate implements AggregateFunction<Rollup, RollupAccumulator, RollupAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public RollupAccumulator createAccumulator() {
        return new RollupAccumulator();
    }

    @Override
    public RollupAccumulator add(Rollup value, RollupAccumulator acc) {
        acc.add(value);
        return acc;
    }

    @Override
    public RollupAccumulator getResult(RollupAccumulator acc) {
        return acc;
    }

    @Override
    public RollupAccumulator merge(RollupAccumulator a, RollupAccumulator b) {
        RollupAccumulator m = new RollupAccumulator();
        m.addAll(a);
        m.addAll(b);
        return m;
    }
}
