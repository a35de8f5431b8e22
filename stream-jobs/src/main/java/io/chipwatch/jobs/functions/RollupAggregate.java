package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.Rollup;

/**
 * Incrementally merges the rows of an entity's members in a window (a node's chips, a rack's nodes, ...): counts and
 * sums add, extremes combine, latency sketches merge. The result is the accumulator; {@link EmitRollup} adds the
 * level and window start.
 */
public class RollupAggregate extends InPlaceAggregate<Rollup, RollupAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public RollupAccumulator createAccumulator() {
        return new RollupAccumulator();
    }
}
