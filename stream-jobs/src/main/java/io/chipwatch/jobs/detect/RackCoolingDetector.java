package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * rack_cooling, keyed by rack: the whole rack runs hotter than its chips' power explains. Each tick the median
 * thermal excess ({@link ThermalFeatures}) of the rack's warm chips is compared with {@code openExcessC}; the
 * median of dozens of chips is steady to a few tenths of a degree through job starts and stops (each chip's model
 * errors have either sign) and follows an inlet rise within seconds. One RACK anomaly opens after
 * {@code openSamples} ticks above, listing the chips at least {@code affectedExcessC} above their expectation
 * (root cause by topology: one rack anomaly, not one per chip; {@link OverheatDetector} subtracts the same median,
 * so these chips raise no overheat of their own). It closes after {@code closeSamples} ticks below
 * {@code closeExcessC}. Racks with fewer than {@code minChips} warm chips reporting are not judged.
 */
public class RackCoolingDetector extends TickDetector {
    private static final long serialVersionUID = 1L;

    private final DetectionConfig.RackCooling config;
    private transient ValueState<RackHeat> state;

    public RackCoolingDetector(DetectionConfig.RackCooling config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A rack's hysteresis counters and open anomaly; a Flink POJO. */
    public static final class RackHeat {
        public int hotTicks;
        public int coolTicks;
        public Anomaly open;

        public RackHeat() {
        }
    }

    @Override
    protected void openState() {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("rack-heat", RackHeat.class));
    }

    @Override
    protected void onTick(String rack, long ts, List<ChipReading> readings, TimerService timers,
                          Collector<Anomaly> out)
            throws Exception {
        double[] values = warmExcess(readings);
        int n = values.length;
        if (n < config.minChips()) {
            return;
        }
        String pod = readings.get(0).pod(); // a rack's chips share its pod
        double median = Stats.median(values, n);
        RackHeat h = state.value();
        if (h == null) {
            h = new RackHeat();
        }
        if (h.open == null) {
            h.hotTicks = median >= config.openExcessC() ? h.hotTicks + 1 : 0;
            if (h.hotTicks >= config.openSamples()) {
                List<String> affected = new ArrayList<>();
                double maxTemp = Double.NaN;
                for (ChipReading r : readings) {
                    if (r.warm() && r.excessC() >= config.affectedExcessC()) {
                        affected.add(r.chip());
                        maxTemp = Double.isNaN(maxTemp) ? r.tempC() : Math.max(maxTemp, r.tempC());
                    }
                }
                affected.sort(null);
                h.open = Tags.rack(Anomaly.builder(), pod, rack)
                        .type(AnomalyType.RACK_COOLING).scope(Scope.RACK).entity(rack)
                        .startMillis(ts).eventMillis(ts)
                        .value(median).threshold(config.openExcessC())
                        .fact(Fact.EXCESS_C, median).fact(Fact.EXCESS_LIMIT_C, config.openExcessC())
                        .fact(Fact.CHIPS, affected.size()).fact(Fact.CHIPS_JUDGED, n)
                        .fact(Fact.MAX_TEMP_C, maxTemp)
                        .detail(affected.size() + " of " + n + " chips of rack " + rack + " run hotter than their "
                                + "power explains, median +" + Tags.f1(median) + " °C: rack cooling")
                        .affected(affected)
                        .build();
                h.coolTicks = 0;
                out.collect(h.open);
            }
        } else {
            h.coolTicks = median < config.closeExcessC() ? h.coolTicks + 1 : 0;
            if (h.coolTicks >= config.closeSamples()) {
                out.collect(h.open.close(ts));
                h.open = null;
                h.hotTicks = 0;
            }
        }
        state.update(h);
    }
}
