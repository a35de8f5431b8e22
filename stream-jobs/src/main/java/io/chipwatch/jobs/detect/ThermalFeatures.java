package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
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
 * second, so a single absurd sample (a 150 °C glitch) never reaches the detectors. A reading older than the last
 * accepted one (late, or repeated) is a suspect too, with its own temperature (unless absurd): it is judged against
 * the model of a later instant, so it is no evidence of the temperature's course.
 *
 * <p><b>Expected temperature and excess.</b> A die settles at {@code inlet + R x power} and follows with a
 * first-order lag (CONTRACTS.md §1), so {@code T - R x lag(power)} is about the inlet temperature plus the chip's own
 * offset. The chip's baseline of that residual is learned slowly (time constant {@code baselineSeconds}) and only
 * while it is close ({@code baselineGateC}), so slow inlet drifts are absorbed but a fault never becomes normal.
 * The excess, residual minus baseline, is about 0 for a healthy chip whatever its load, job starts and stops
 * included (the lag models the heating), and rises for a cooling fault: by the fault's heat at the chip
 * (overheat) or the inlet rise for every chip of a rack (rack cooling).
 *
 * <p>After a silence longer than a third of the thermal time constant, the lagged power is re-anchored on what
 * the temperature implies (the chip was not reporting, its power in between is unknown).
 *
 * <p>For its first {@code warmupSeconds} the chip is only watched (readings say {@code warm = false}); then its
 * baseline and its lagged power at the first reading (its thermal history, unknown) are fitted to the warm-up's
 * readings (see {@link #settle}), and the model runs from there.
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
        /** Whether the warm-up is over (lagged power and baseline valid). */
        public boolean settled;
        /** The warm-up fit: the power filtered from zero, sums of the regression, the first reading's power. */
        public double zeroLagW;
        public double firstPowerW;
        public double firstLagW;
        public int warmupSamples;
        public double sumG;
        public double sumGG;
        public double sumY;
        public double sumGY;

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
            s.firstPowerW = sample.powerW();
            addWarmupPoint(s, 1.0, sample.tempC());
            boolean warm = config.warmupSeconds() == 0;
            if (warm) {
                settle(s);
            }
            state.update(s);
            out.collect(reading(sample, s.tempC, 0.0, false, warm));
            return;
        }
        if (ts <= s.lastMillis) {
            // Out of order (late or repeated, as the transport allows): learn nothing, and mark it a suspect. Its
            // excess is against the model of a later instant (after a job's power step, degrees off), so it is no
            // evidence of the temperature's course; and it goes out with what it read, not the last accepted
            // temperature: the detectors sort readings by time again, and a late 66 reported as the 65 read since
            // made a run of 65s that never was (a frozen-looking sensor, issue #21). An absurd one is held at the
            // last accepted temperature, as in order.
            double since = (s.lastMillis - ts) / 1000.0;
            boolean far = Math.abs(sample.tempC() - s.tempC) > config.glitchJumpC() + config.maxRiseCPerS() * since;
            double temp = far ? s.tempC : sample.tempC();
            double excess = s.settled ? temp - r * s.lagPowerW - s.baselineC : 0.0;
            out.collect(reading(sample, temp, excess, true, s.settled));
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
        s.tempC = temp;
        s.lastMillis = ts;

        if (!s.settled) {
            // Warming up: the lagged power is the unknown lagged power at the first reading, decayed, plus the
            // lag of the power seen since (a zero-started filter); the fit below finds both unknowns.
            s.zeroLagW += -Math.expm1(-dt / config.powerLagSeconds()) * (sample.powerW() - s.zeroLagW);
            double g = Math.exp(-(ts - s.firstMillis) / 1000.0 / config.powerLagSeconds());
            addWarmupPoint(s, g, temp - r * s.zeroLagW);
            if (ts - s.firstMillis < config.warmupSeconds() * 1000.0) {
                state.update(s);
                out.collect(reading(sample, temp, 0.0, suspect, false));
                return;
            }
            settle(s);
            s.lagPowerW = s.firstLagW * g + s.zeroLagW;
        } else if (dt > config.powerLagSeconds() / 3 && !suspect) {
            // Back after a silence (chip_down, node_down): the power in between is unknown, and one reading
            // (perhaps mid-phase) would stand for all of it. The temperature says what the lagged power was.
            s.lagPowerW = Math.max(0, (temp - s.baselineC) / r);
        } else {
            s.lagPowerW += -Math.expm1(-dt / config.powerLagSeconds()) * (sample.powerW() - s.lagPowerW);
        }
        double excess = temp - r * s.lagPowerW - s.baselineC;
        if (!suspect && Math.abs(excess) < config.baselineGateC()) {
            s.baselineC += -Math.expm1(-dt / config.baselineSeconds()) * excess;
        }
        state.update(s);
        out.collect(reading(sample, temp, excess, suspect, true));
    }

    /** One point {@code y = baseline + R x firstLag x g} of the warm-up fit. */
    private static void addWarmupPoint(ThermalState s, double g, double y) {
        s.warmupSamples++;
        s.sumG += g;
        s.sumGG += g * g;
        s.sumY += y;
        s.sumGY += g * y;
    }

    /**
     * Ends the warm-up: least squares of {@code T - R x zeroLag = baseline + R x firstLag x exp(-t/tau)} over the
     * warm-up gives the chip's baseline and its lagged power at the first reading (its thermal history: in
     * equilibrium with its average load, or with the first reading's, or anything between). Too little spread in
     * time to tell: the first reading's power is taken as its history.
     */
    private void settle(ThermalState s) {
        double r = config.thermalResistanceCPerW();
        double n = s.warmupSamples;
        double det = n * s.sumGG - s.sumG * s.sumG;
        double c;
        if (n >= 3 && det > 1e-6 * n * n) {
            c = (n * s.sumGY - s.sumG * s.sumY) / det;
        } else {
            c = r * s.firstPowerW;
        }
        s.firstLagW = Math.max(0, c / r);
        s.baselineC = (s.sumY - c * s.sumG) / n;
        s.lagPowerW = s.firstLagW;
        s.settled = true;
    }

    private static ChipReading reading(ChipSample s, double temp, double excess, boolean suspect, boolean warm) {
        return new ChipReading(s.timestampMillis(), s.chip(), s.node(), s.rack(), s.pod(), s.job(), s.util(),
                s.powerW(), temp, excess, suspect, warm, intraLinks(s));
    }

    /** How many intra-node links the sample measured (the silence detector's witness of its node peers). */
    static int intraLinks(ChipSample s) {
        int n = 0;
        for (LinkLatency l : s.links()) {
            if (l.kind() == LinkKind.INTRA) {
                n++;
            }
        }
        return Math.min(n, 255);
    }
}
