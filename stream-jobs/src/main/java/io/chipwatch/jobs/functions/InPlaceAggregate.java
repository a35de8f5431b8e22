package io.chipwatch.jobs.functions;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * An {@link AggregateFunction} whose accumulator is also its result and takes rows in place; merging (session
 * windows only) adds both sides into a new accumulator. The base of {@link RollupAggregate} and
 * {@link CapacityAggregate}.
 *
 * @param <IN> the rows
 * @param <A>  the accumulator
 */
public abstract class InPlaceAggregate<IN, A extends InPlaceAggregate.Accumulator<IN, A>>
        implements AggregateFunction<IN, A, A> {
    private static final long serialVersionUID = 1L;

    /** What such an accumulator does: take one row, or everything another accumulator took. */
    public interface Accumulator<IN, A> {
        void add(IN row);

        void addAll(A other);
    }

    @Override
    public A add(IN value, A acc) {
        acc.add(value);
        return acc;
    }

    @Override
    public A getResult(A acc) {
        return acc;
    }

    @Override
    public A merge(A a, A b) {
        A m = createAccumulator();
        m.addAll(a);
        m.addAll(b);
        return m;
    }
}
