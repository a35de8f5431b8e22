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
 * the power moved by at least {@code minPowerRangeW} and the temperature the chip's thermal model expects
 * ({@link ThermalFeatures}: the reading minus its excess) moved by at least {@code minExpectedRangeC} over those
 * readings. Real sources report whole degrees, so a live sensor on a chip at steady load repeats for minutes; but
 * when the model says the die moved by more than the rounding can hide, an unchanged reading is a blind sensor.
 * Readings of chips still warming up (no model yet) neither count towards nor break a run. A reading far from the
 * model ({@code maxExcessC}: an overheating die held at its ceiling) is heat, not a blind sensor. Starts when that
 * evidence is complete (whole-degree readings repeat long before a sensor freezes, so the run's first reading says
 * nothing about when it froze); closes at the first reading that differs. A warning: the chip may be fine, its thermal
 * protection is blind.
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
        /** Range of the expected temperature over the run's warm readings (NaN: none yet). */
        public double expectedMinC = Double.NaN;
        public double expectedMaxC = Double.NaN;
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
            expect(run, r);
        } else if (!r.suspect()) {
            if (run.open != null) {
                out.collect(run.open.close(ts));
                run.open = null;
            }
            restart(run, r);
        }
        run.lastMillis = ts;
        double powerRange = run.powerMaxW - run.powerMinW;
        double expectedRange = Double.isNaN(run.expectedMinC) ? 0 : run.expectedMaxC - run.expectedMinC;
        if (run.open == null && run.length >= config.minRepeats() && powerRange >= config.minPowerRangeW()
                && expectedRange >= config.minExpectedRangeC() && r.warm()
                && Math.abs(r.excessC()) < config.maxExcessC()) {
            run.open = Tags.chip(Anomaly.builder(), r)
                    .type(AnomalyType.STUCK_SENSOR).entity(r.chip())
                    .startMillis(ts).eventMillis(ts)
                    .value(run.tempC).threshold(config.minRepeats())
                    .fact(Fact.TEMP_C, run.tempC).fact(Fact.REPEATS, run.length)
                    .fact(Fact.REPEATS_LIMIT, config.minRepeats()).fact(Fact.POWER_RANGE_W, powerRange)
                    .detail("temperature reads exactly " + Tags.f2(run.tempC) + " °C " + run.length
                            + " times in a row while power moved " + Tags.f1(powerRange) + " W and the chip's model "
                            + "expected it to move " + Tags.f1(expectedRange) + " °C")
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
        run.expectedMinC = Double.NaN;
        run.expectedMaxC = Double.NaN;
        expect(run, r);
    }

    /** Widens the run's range of the expected temperature by a warm reading's. */
    private static void expect(Run run, ChipReading r) {
        if (!r.warm()) {
            return;
        }
        double expected = r.tempC() - r.excessC();
        run.expectedMinC = Double.isNaN(run.expectedMinC) ? expected : Math.min(run.expectedMinC, expected);
        run.expectedMaxC = Double.isNaN(run.expectedMaxC) ? expected : Math.max(run.expectedMaxC, expected);
    }
}
