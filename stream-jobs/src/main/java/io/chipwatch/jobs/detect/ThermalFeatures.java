package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Objects;

/**
 * The per-chip thermal model behind the thermal detectors; keyed by chip, one {@link ChipReading} out per sample
 * in.
 *
 * <p><b>Glitch rejection.</b> A temperature reading further from the last accepted one than
 * {@code glitchJumpC + maxRiseCPerS x seconds since} is held as a suspect: the reading goes out with the last good
 * temperature and {@code suspect = true}. The next reading decides: if it is far too, the jump was real and is
 * accepted; if not, the suspect was a glitch and is forgotten. No real thermal process moves a die 10 °C in a
 * second, so a single absurd sample (a 150 °C glitch) never reaches the detectors.
 *
 * <p><b>Expected temperature and excess.</b> A die settles at {@code inlet + R x power} and follows with a
 * first-order lag (GUIDE §1), so {@code T - R x lag(power)} is about the inlet temperature plus the chip's own
 * offset. The chip's baseline of that residual is learned slowly (time constant {@code baselineSeconds}) and only
 * while it is close ({@code baselineGateC}), so slow inlet drifts are absorbed but a fault never becomes normal.
 * The excess, residual minus baseline, is about 0 for a healthy chip whatever its load, job starts and stops
 * included (the lag models the heating), and rises for a cooling fault: by the fault's heat at the chip
 * (overheat) or the inlet rise for every chip of a rack (rack cooling).
 *
 * <p>After a silence longer than a third of the thermal time constant, the lagged power is re-anchored on what
 * the temperature implies (the chip was not reporting, its power in between is unknown).
 *
 * <p>For its first {@code warmupSeconds} the baseline learns fast and unguarded (the lagged power starts from
 * the first reading, which may be mid-phase), and readings say {@code warm = false}.
 */
public class ThermalFeatures extends KeyedProcessFunction<String, ChipSample, ChipReading> {
    private static final long serialVersionUID = 1L;

    private final DetectionConfig.Thermal config;
    private transient ValueState<ThermalState> state;
    private transient Counter suspects;

    public ThermalFeatures(DetectionConfig.Thermal config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A chip's model state; a Flink POJO. */
    public static final class ThermalState {
        public long firstMillis;
        public long lastMillis;
        /** Last accepted temperature. */
        public double tempC;
        /** Power lagged by the thermal time constant. */
        public double lagPowerW;
        /** Baseline of the residual {@code T - R x lagPower}. */
        public double baselineC;
        /** Whether the previous reading was held as a suspect. */
        public boolean suspectPending;

        public ThermalState() {
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("thermal", ThermalState.class));
        suspects = getRuntimeContext().getMetricGroup().counter("temperatureSuspects");
    }

    @Override
    public void processElement(ChipSample sample, Context ctx, Collector<ChipReading> out) throws Exception {
        ThermalState s = state.value();
        long ts = sample.timestampMillis();
        double r = config.thermalResistanceCPerW();
        if (s == null) {
            s = new ThermalState();
            s.firstMillis = ts;
            s.lastMillis = ts;
            s.tempC = sample.tempC();
            s.lagPowerW = sample.powerW();
            s.baselineC = sample.tempC() - r * sample.powerW();
            state.update(s);
            out.collect(reading(sample, s.tempC, 0.0, false, config.warmupSeconds() == 0));
            return;
        }
        if (ts <= s.lastMillis) {
            // Out of order (the source allows a little): report it against the current model, learn nothing.
            double excess = sample.tempC() - r * s.lagPowerW - s.baselineC;
            out.collect(reading(sample, s.tempC, excess, false, warm(s, s.lastMillis)));
            return;
        }
        double dt = (ts - s.lastMillis) / 1000.0;
        double reading = sample.tempC();
        boolean far = Math.abs(reading - s.tempC) > config.glitchJumpC() + config.maxRiseCPerS() * dt;
        boolean suspect = far && !s.suspectPending;
        s.suspectPending = suspect;
        double temp = suspect ? s.tempC : reading;
        if (suspect) {
            suspects.inc();
        }

        if (dt > config.powerLagSeconds() / 3 && !suspect) {
            // Back after a silence (chip_down, node_down): the power in between is unknown, and one reading
            // (perhaps mid-phase) would stand for all of it. The temperature says what the lagged power was.
            s.lagPowerW = Math.max(0, (temp - s.baselineC) / r);
        } else {
            s.lagPowerW += -Math.expm1(-dt / config.powerLagSeconds()) * (sample.powerW() - s.lagPowerW);
        }
        double excess = temp - r * s.lagPowerW - s.baselineC;
        boolean warm = warm(s, ts);
        if (!warm) {
            // Settling: follow the residual closely, so the lagged power's wrong start does not stick.
            s.baselineC += -Math.expm1(-dt / Math.min(config.powerLagSeconds() / 3, config.baselineSeconds()))
                    * excess;
        } else if (!suspect && Math.abs(excess) < config.baselineGateC()) {
            s.baselineC += -Math.expm1(-dt / config.baselineSeconds()) * excess;
        }
        s.tempC = temp;
        s.lastMillis = ts;
        state.update(s);
        out.collect(reading(sample, temp, excess, suspect, warm));
    }

    private boolean warm(ThermalState s, long ts) {
        return ts - s.firstMillis >= config.warmupSeconds() * 1000.0;
    }

    private static ChipReading reading(ChipSample s, double temp, double excess, boolean suspect, boolean warm) {
        return new ChipReading(s.timestampMillis(), s.chip(), s.node(), s.rack(), s.pod(), s.job(), s.util(),
                s.powerW(), temp, excess, suspect, warm);
    }
}
