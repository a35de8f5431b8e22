package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Base of the detectors that compare the chips of a group (a node, a rack) at the same instant: readings are
 * buffered per key until the watermark passes their timestamp, then handed over as one tick (every reading of
 * the group with that timestamp), ticks in time order. A reading for a tick already evaluated is late and
 * dropped (counted in {@code lateReadings}).
 *
 * <p>Ordering by the watermark matters beyond comparing chips at one instant: partitions are read at different
 * paces (a replay, a catch-up), so a group's readings arrive with some chips far ahead of others in event time.
 * Taken in arrival order, a chip already back from an outage would hide that its node was down.
 */
public abstract class TickDetector extends KeyedProcessFunction<String, ChipReading, Anomaly> {
    private static final long serialVersionUID = 1L;

    private transient ListState<ChipReading> pending;
    private transient ValueState<Long> lastTick;
    private transient Counter late;

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", ChipReading.class));
        lastTick = getRuntimeContext().getState(new ValueStateDescriptor<>("last-tick", Types.LONG));
        late = getRuntimeContext().getMetricGroup().counter("lateReadings");
        openState();
    }

    /** Opens the subclass's state. */
    protected abstract void openState() throws Exception;

    /**
     * Evaluates one tick of the group.
     *
     * @param key      the group (node or rack id)
     * @param ts       the tick's event time
     * @param readings every reading of the group at {@code ts}, in arrival order
     * @param timers   the key's timer service, for subclasses that check something later in event time
     */
    protected abstract void onTick(String key, long ts, List<ChipReading> readings, TimerService timers,
                                   Collector<Anomaly> out) throws Exception;

    /**
     * The thermal excess of the tick's warm readings, in order (readings of chips still warming up have none, and
     * suspects, glitches held back or readings that arrived late, are no evidence): what
     * the rack detectors take the median of.
     */
    protected static double[] warmExcess(List<ChipReading> readings) {
        double[] values = new double[readings.size()];
        int n = 0;
        for (ChipReading r : readings) {
            if (r.warm() && !r.suspect()) {
                values[n++] = r.excessC();
            }
        }
        return Arrays.copyOf(values, n);
    }

    /**
     * A reading that came after its tick was evaluated: it takes no part in any tick. Subclasses may still learn from
     * it (a late reading proves its chip was alive at its time); nothing by default.
     */
    protected void onLate(ChipReading r, Collector<Anomaly> out) throws Exception {
    }

    @Override
    public void processElement(ChipReading r, Context ctx, Collector<Anomaly> out) throws Exception {
        Long last = lastTick.value();
        if (last != null && r.timestampMillis() <= last) {
            late.inc();
            onLate(r, out);
            return;
        }
        pending.add(r);
        ctx.timerService().registerEventTimeTimer(r.timestampMillis());
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        TreeMap<Long, List<ChipReading>> due = new TreeMap<>();
        List<ChipReading> keep = new ArrayList<>();
        for (ChipReading r : pending.get()) {
            if (r.timestampMillis() <= time) {
                due.computeIfAbsent(r.timestampMillis(), k -> new ArrayList<>()).add(r);
            } else {
                keep.add(r);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        pending.update(keep);
        for (Map.Entry<Long, List<ChipReading>> tick : due.entrySet()) {
            onTick(ctx.getCurrentKey(), tick.getKey(), tick.getValue(), ctx.timerService(), out);
        }
        lastTick.update(due.lastKey());
    }
}
