package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Objects;

/**
 * stuck_sensor, keyed by chip: the temperature reading repeats exactly, {@code minRepeats} times in a row, while
 * the power moved by at least {@code minPowerRangeW} over those readings. A live sensor's noise alone makes two
 * identical readings rare and four in a row practically impossible; the power condition makes sure the chip
 * itself is alive and its temperature should have moved. Starts at the first frozen reading; closes at the first
 * reading that differs. A warning: the chip may be fine, its thermal protection is blind.
 */
public class StuckSensorDetector extends KeyedProcessFunction<String, ChipReading, Anomaly> {
    private static final long serialVersionUID = 1L;

    private final DetectionConfig.StuckSensor config;
    private transient ValueState<Run> state;

    public StuckSensorDetector(DetectionConfig.StuckSensor config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The current run of identical readings; a Flink POJO. */
    public static final class Run {
        public long lastMillis;
        public double tempC;
        public long startMillis;
        public int length;
        public double powerMinW;
        public double powerMaxW;
        public Anomaly open;

        public Run() {
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("stuck-run", Run.class));
    }

    @Override
    public void processElement(ChipReading r, Context ctx, Collector<Anomaly> out) throws Exception {
        Run run = state.value();
        long ts = r.timestampMillis();
        if (run != null && ts <= run.lastMillis) {
            return;
        }
        if (run == null) {
            run = new Run();
            restart(run, r);
        } else if (!r.suspect() && Double.compare(r.tempC(), run.tempC) == 0) {
            run.length++;
            run.powerMinW = Math.min(run.powerMinW, r.powerW());
            run.powerMaxW = Math.max(run.powerMaxW, r.powerW());
        } else if (!r.suspect()) {
            if (run.open != null) {
                out.collect(run.open.close(ts));
                run.open = null;
            }
            restart(run, r);
        }
        run.lastMillis = ts;
        double powerRange = run.powerMaxW - run.powerMinW;
        if (run.open == null && run.length >= config.minRepeats() && powerRange >= config.minPowerRangeW()) {
            run.open = Tags.chip(Anomaly.builder(), r)
                    .type(AnomalyType.STUCK_SENSOR).entity(r.chip())
                    .startMillis(run.startMillis).eventMillis(ts)
                    .value(run.tempC).threshold(config.minRepeats())
                    .fact(Fact.TEMP_C, run.tempC).fact(Fact.REPEATS, run.length)
                    .fact(Fact.REPEATS_LIMIT, config.minRepeats()).fact(Fact.POWER_RANGE_W, powerRange)
                    .detail("temperature reads exactly " + Tags.f2(run.tempC) + " °C " + run.length
                            + " times in a row while power moved " + Tags.f1(powerRange) + " W")
                    .build();
            out.collect(run.open);
        }
        state.update(run);
    }

    private static void restart(Run run, ChipReading r) {
        run.tempC = r.tempC();
        run.startMillis = r.timestampMillis();
        run.length = 1;
        run.powerMinW = r.powerW();
        run.powerMaxW = r.powerW();
    }
}
