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
 * the hall's daily drift) cancels out, what one chip does alone remains.
 *
 * <p><b>What a healthy chip's own resistance explains.</b> The model assumes one thermal resistance; a healthy
 * chip's may differ by up to {@code healthyResistanceSpread} (a hot-but-healthy part runs ~1.35x). Its baseline
 * absorbs that difference at the load it was learned at, so its excess grows with how far its expected temperature
 * has moved since: 10-14 °C for the hottest parts at full load after an idle spell, 0.4 °C/s as a job ramps. The
 * rules judge what the spread cannot explain: the excess less the spread times the distance of the expected
 * temperature from its reference (followed as the baseline is: its time constant, its gate), and the excess's
 * climb less the spread times the expected temperature's climb over the same window. A cooling fault heats at any
 * load, so at a steady load nothing is discounted.
 *
 * <p><b>Rules.</b> A chip opens an overheat when, over its last {@code slopeSamples} ticks,
 * <ul>
 *   <li>"rising": the unexplained climb of its relative excess is {@code slopeCPerS} or more while that excess is
 *       already {@code minExcessC} high, also above the chip's own recent level of it (time constant
 *       {@code levelSeconds}: whole-degree readings of a hot chip wander by a degree or two, which over 6 samples
 *       can read as a climb), and its own readings climb too (a cooling fault heats at 0.5-2 °C/s);</li>
 *   <li>"hot": the unexplained excess stays above {@code sustainedExcessC} for {@code confirmSamples} ticks;</li>
 *   <li>"critical": the temperature itself stays above {@code criticalC}, with {@code minExcessC} of relative
 *       excess, for {@code confirmSamples} ticks.</li>
 * </ul>
 * A reading repeated exactly over the slope window (a stuck sensor: the excess of a frozen value moves only with
 * the power) opens nothing. So a 0.5 °C/s fault is called about 4 s after it starts, 15 °C or more below the
 * critical temperature. Glitches and out-of-order readings (suspects) and readings of cold (warming-up) chips are
 * skipped. It closes when the chip is back within {@code clearExcessC} and below {@code clearC} for
 * {@code clearSamples} ticks.
 */
public class OverheatDetector extends TickDetector {
    private static final long serialVersionUID = 1L;

    private final DetectionConfig.Overheat config;
    private final DetectionConfig.Thermal thermal;
    private transient MapState<String, ChipHeat> chips;

    /** Reads {@code overheat} (the rules) and {@code thermal} (where the model's baseline learns). */
    public OverheatDetector(DetectionConfig config) {
        this.config = Objects.requireNonNull(config.overheat(), "overheat");
        this.thermal = Objects.requireNonNull(config.thermal(), "thermal");
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
        /**
         * The model's expected temperature ({@code tempC - excessC}) over the slope window, beside {@code excess};
         * null in state from before it (the window then starts again).
         */
        public double[] expected;
        /**
         * The chip's expected temperature at the load its model's baseline was learned at: followed with the
         * baseline's time constant while its excess is within the baseline's gate, as the baseline is.
         * Meaningful once {@code hasReference}.
         */
        public double referenceC;
        public boolean hasReference;
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

    /** The least-squares slope, per second, of a ring of the chip's over its last {@code w} readings. */
    private static double windowSlope(double[] ring, ChipHeat h, int w, long ts, double[] x, double[] y) {
        for (int i = 0; i < w; i++) {
            int k = (h.count - w + i) % w;
            x[i] = (h.times[k] - ts) / 1000.0;
            y[i] = ring[k];
        }
        return Stats.slope(x, y, w);
    }

    /**
     * The excess's climb less what a healthy chip's own resistance explains: the spread times the climb of its
     * expected temperature over the same window.
     */
    private double unexplainedSlope(ChipHeat h, double slope, int w, long ts, double[] x, double[] y) {
        return slope - config.healthyResistanceSpread() * Math.abs(windowSlope(h.expected, h, w, ts, x, y));
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
        return windowSlope(h.temps, h, w, ts, x, y) > 0;
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
            if (h.expected == null) {
                h.expected = new double[w];
                h.count = 0;
            }
            double e = r.excessC() - common;
            double expectedC = r.expectedC();
            if (!h.hasReference) {
                h.referenceC = expectedC;
                h.hasReference = true;
            }
            long sinceMs = h.count > 0 ? ts - h.times[(h.count - 1) % w] : 0;
            if (sinceMs > 5_000) {
                h.count = 0;
            }
            double rise = e - h.level;
            h.times[h.count % w] = ts;
            h.excess[h.count % w] = e;
            h.temps[h.count % w] = r.tempC();
            h.expected[h.count % w] = expectedC;
            h.count++;
            // What a healthy chip's own resistance could add: the spread times how far its expected temperature
            // moved from where its baseline was learned (a hot-but-healthy chip's excess grows with its load).
            double unexplained = e - config.healthyResistanceSpread() * Math.abs(expectedC - h.referenceC);
            h.hotTicks = unexplained >= config.sustainedExcessC() ? h.hotTicks + 1 : 0;
            h.criticalTicks = r.tempC() >= config.criticalC() && e >= config.minExcessC() ? h.criticalTicks + 1 : 0;
            double slope = h.count >= w ? windowSlope(h.excess, h, w, ts, x, y) : Double.NaN;
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
                // The discount only lowers the slope: its own regression runs only when the slope alone would do.
                if (slope >= config.slopeCPerS() && e >= config.minExcessC() && rise >= config.minExcessC()
                        && unexplainedSlope(h, slope, w, ts, x, y) >= config.slopeCPerS()
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
                    value = unexplained;
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
                if (Math.abs(r.excessC()) < thermal.baselineGateC()) {
                    h.referenceC += -Math.expm1(-sinceMs / 1000.0 / thermal.baselineSeconds())
                            * (expectedC - h.referenceC);
                }
            }
            chips.put(r.chip(), h);
        }
    }
}
