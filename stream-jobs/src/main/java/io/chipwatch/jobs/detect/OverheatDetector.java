package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Objects;

/**
 * overheat, keyed by rack: a chip heating beyond what its power explains, faster or further than its rack peers.
 *
 * <p>Each tick, every warm chip's thermal excess ({@link ThermalFeatures}) is taken relative to the median excess
 * of the rack (when at least {@code minPeers} others report): what the whole rack shares (a rack cooling fault,
 * the hall's daily drift) cancels out, what one chip does alone remains. A chip opens an overheat when, over its
 * last {@code slopeSamples} ticks, that relative excess climbs at {@code slopeCPerS} or more while already
 * {@code minExcessC} high, also above the chip's own recent level of relative excess (time constant
 * {@code levelSeconds}: a hot-but-healthy chip runs several degrees above the model under load for hours, and its
 * whole-degree readings wander by a degree or two, which over 6 samples can read as a climb), and its own readings climb too (a cooling fault heats at 0.5-2 °C/s; a job starting or stopping moves the excess of even
 * an unusual chip by well under 0.4 °C/s, since the model follows the power); or when it stays above
 * {@code sustainedExcessC}, or the temperature itself above {@code criticalC} with some relative excess, for
 * {@code confirmSamples} ticks. A reading repeated exactly over the slope window (a stuck sensor: the excess of
 * a frozen value moves only with the power) opens nothing. So a 0.5 °C/s fault is called about 4 s after it starts, 15 °C or more below the
 * critical temperature. Glitches never reach it (rejected upstream); readings of cold (warming-up) chips are
 * skipped. It closes when the chip is back within {@code clearExcessC} and below {@code clearC} for
 * {@code clearSamples} ticks.
 */
public class OverheatDetector extends TickDetector {
    private static final long serialVersionUID = 1L;

    private final DetectionConfig.Overheat config;
    private transient MapState<String, ChipHeat> chips;

    public OverheatDetector(DetectionConfig.Overheat config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** One chip's recent relative excess and its open anomaly; a Flink POJO. */
    public static final class ChipHeat {
        public long[] times;
        public double[] excess;
        public double[] temps;
        public int count;
        public int hotTicks;
        public int criticalTicks;
        public int clearTicks;
        /**
         * The chip's own recent relative excess (time constant {@code overheat.levelSeconds}), learned while no
         * overheat is open: what this chip normally runs at under its present load. 0 in state from before it.
         */
        public double level;
        public Anomaly open;

        public ChipHeat() {
        }
    }

    @Override
    protected void openState() {
        chips = getRuntimeContext().getMapState(new MapStateDescriptor<>("overheat", StringKeySerializer.KEY_TYPE,
                TypeInformation.of(ChipHeat.class)));
    }

    /** Whether the chip's last {@code w} temperature readings are all the same value (a stuck sensor). */
    private static boolean frozen(ChipHeat h, int w) {
        if (h.count < 2) {
            return false;
        }
        int n = Math.min(h.count, w);
        double last = h.temps[(h.count - 1) % w];
        for (int i = 2; i <= n; i++) {
            if (Double.compare(h.temps[(h.count - i) % w], last) != 0) {
                return false;
            }
        }
        return true;
    }

    /** How many of the latest readings the reported rise rate is fitted over. */
    private static final int RISE_SAMPLES = 3;

    /**
     * How fast the chip's own temperature climbs now, °C/s: the slope over its last {@value #RISE_SAMPLES} readings
     * (the rule's longer window still holds readings from before the onset when it fires); NaN before that. What
     * on-call sees, unlike the slope of the relative excess the rule judges.
     */
    private static double temperatureSlope(ChipHeat h, int w, long ts, double[] x, double[] y) {
        int n = Math.min(Math.min(h.count, w), RISE_SAMPLES);
        if (n < RISE_SAMPLES) {
            return Double.NaN;
        }
        for (int i = 0; i < n; i++) {
            int k = (h.count - n + i) % w;
            x[i] = (h.times[k] - ts) / 1000.0;
            y[i] = h.temps[k];
        }
        return Stats.slope(x, y, n);
    }

    /**
     * Whether the chip's own readings climb over the slope window: heat shows in the reading. An excess that climbs
     * while the reading does not is the model's expectation falling (the load dropped) under a frozen or lagging
     * reading, not heat (a stuck sensor on a chip whose job ends).
     */
    private static boolean readingRises(ChipHeat h, int w, long ts, double[] x, double[] y) {
        for (int i = 0; i < w; i++) {
            int k = (h.count - w + i) % w;
            x[i] = (h.times[k] - ts) / 1000.0;
            y[i] = h.temps[k];
        }
        return Stats.slope(x, y, w) > 0;
    }

    @Override
    protected void onTick(String rack, long ts, List<ChipReading> readings, TimerService timers,
                          Collector<Anomaly> out)
            throws Exception {
        double[] values = warmExcess(readings);
        int n = values.length;
        double common = n - 1 >= config.minPeers() ? Stats.median(values, n) : 0.0;
        int w = config.slopeSamples();
        double[] x = new double[w];
        double[] y = new double[w];
        for (ChipReading r : readings) {
            // A suspect (a glitch held back, or a reading that arrived late: its excess is against the model of a
            // later instant, so after a power drop it reads as heat) is no evidence of the die's course.
            if (!r.warm() || r.suspect()) {
                continue;
            }
            ChipHeat h = chips.get(r.chip());
            if (h == null) {
                h = new ChipHeat();
                h.times = new long[w];
                h.excess = new double[w];
                h.temps = new double[w];
            }
            double e = r.excessC() - common;
            long sinceMs = h.count > 0 ? ts - h.times[(h.count - 1) % w] : 0;
            if (sinceMs > 5_000) {
                h.count = 0;
            }
            double rise = e - h.level;
            h.times[h.count % w] = ts;
            h.excess[h.count % w] = e;
            h.temps[h.count % w] = r.tempC();
            h.count++;
            h.hotTicks = e >= config.sustainedExcessC() ? h.hotTicks + 1 : 0;
            h.criticalTicks = r.tempC() >= config.criticalC() && e >= config.minExcessC() ? h.criticalTicks + 1 : 0;
            double slope = Double.NaN;
            if (h.count >= w) {
                for (int i = 0; i < w; i++) {
                    int k = (h.count - w + i) % w;
                    x[i] = (h.times[k] - ts) / 1000.0;
                    y[i] = h.excess[k];
                }
                slope = Stats.slope(x, y, w);
            }
            if (h.open == null && frozen(h, w)) {
                // A sensor reading the same value again and again (stuck_sensor) is no evidence of heat: the
                // excess of a frozen reading only moves with the power.
                h.hotTicks = 0;
                h.criticalTicks = 0;
            } else if (h.open == null) {
                String rule = null;
                double value = 0;
                double threshold = 0;
                double excessLimit = config.sustainedExcessC();
                if (slope >= config.slopeCPerS() && e >= config.minExcessC() && rise >= config.minExcessC()
                        && readingRises(h, w, ts, x, y)) {
                    rule = "rising";
                    value = slope;
                    threshold = config.slopeCPerS();
                    excessLimit = config.minExcessC();
                } else if (h.criticalTicks >= config.confirmSamples()) {
                    rule = "critical";
                    value = r.tempC();
                    threshold = config.criticalC();
                    excessLimit = config.minExcessC();
                } else if (h.hotTicks >= config.confirmSamples()) {
                    rule = "hot";
                    value = e;
                    threshold = config.sustainedExcessC();
                }
                if (rule != null) {
                    h.clearTicks = 0;
                    h.open = Tags.chip(Anomaly.builder(), r)
                            .type(AnomalyType.OVERHEAT).entity(r.chip())
                            .startMillis(ts).eventMillis(ts)
                            .value(value).threshold(threshold)
                            .fact(Fact.TEMP_C, r.tempC()).fact(Fact.LIMIT_C, config.criticalC())
                            .fact(Fact.EXCESS_C, e).fact(Fact.EXCESS_LIMIT_C, excessLimit)
                            .fact(Fact.RISE_C_PER_S, temperatureSlope(h, w, ts, x, y))
                            .detail(rule + ": " + Tags.f1(r.tempC()) + " °C, " + Tags.f1(e)
                                    + " °C above what its power and rack explain"
                                    + (Double.isNaN(slope) ? "" : ", rising " + Tags.f2(slope) + " °C/s"))
                            .build();
                    out.collect(h.open);
                }
            } else {
                boolean clear = e < config.clearExcessC() && r.tempC() < config.clearC();
                h.clearTicks = clear ? h.clearTicks + 1 : 0;
                if (h.clearTicks >= config.clearSamples()) {
                    out.collect(h.open.close(ts));
                    h.open = null;
                    h.clearTicks = 0;
                }
            }
            if (h.open == null && sinceMs > 0) {
                h.level += -Math.expm1(-sinceMs / 1000.0 / config.levelSeconds()) * (e - h.level);
            }
            chips.put(r.chip(), h);
        }
    }
}
