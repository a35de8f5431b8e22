package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.Resolution;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Merges an entity's capacity rows over a minute (from its 10-second points) or an hour (from its minutes). With
 * {@link Emit} and {@link Key}, the pieces of one capacity stage.
 */
public class CapacityAggregate extends InPlaceAggregate<CapacityPoint, CapacityAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public CapacityAccumulator createAccumulator() {
        return new CapacityAccumulator();
    }

    /** Turns a fired window's accumulator into the row of its resolution. */
    public static class Emit extends ProcessWindowFunction<CapacityAccumulator, CapacityPoint, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        private final Resolution resolution;

        public Emit(Resolution resolution) {
            this.resolution = resolution;
        }

        @Override
        public void process(String key, Context context, Iterable<CapacityAccumulator> aggregates,
                            Collector<CapacityPoint> out) {
            for (CapacityAccumulator acc : aggregates) {
                out.collect(acc.toPoint(resolution, context.window().getStart()));
            }
        }
    }

    /**
     * Level and series, e.g. {@code NODE:p00-r01-n03} or {@code CHIP:p00-r01-n03-c05|train-1}: one key per
     * measurement series.
     */
    public static final class Key implements KeySelector<CapacityPoint, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CapacityPoint p) {
            return p.level().name() + ':' + p.series();
        }
    }
}
