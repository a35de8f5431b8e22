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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * stuck_sensor, keyed by node: a chip's temperature reading stands still where a live sensor could not have. A
 * warning: the chip may be fine, its thermal protection is blind. Three ways to tell, each on a run of identical
 * readings (readings of chips still warming up and suspects, glitches held back or readings that arrived out of
 * order, neither count towards nor break a run):
 * <ul>
 *   <li><b>A fractional reading</b> (the source reports finer than whole degrees) repeated {@code minRepeats} times
 *   while the power moved {@code minPowerRangeW}: a live sensor's noise changes the last digit every sample.</li>
 *   <li><b>The model moved</b>: a whole-degree reading repeated {@code modelMinRepeats} times (more than
 *   {@code minRepeats}: a whole-degree source repeats for as long as the die stays in one degree, and a live die
 *   lagging a power step holds one for 4-5 samples while its model moves 3 °C) while the power moved
 *   {@code minPowerRangeW} and the temperature the chip's thermal model expects ({@link ThermalFeatures}: the
 *   reading minus its excess) moved {@code minExpectedRangeC} over the run, further than whole-degree rounding
 *   and the model's own error can hide, and so did that expectation corrected by the node peers' common excess
 *   (their median, when at least {@code minPeers} others report), and within the last {@code windowSeconds} too (a
 *   die follows its model's moves within the thermal lag; a model drifting for minutes, its lag not the chip's, its
 *   baseline creeping, is no evidence): the model follows the chip's power only, not its
 *   inlet air, and an inlet that moves (a rack's cooling failing or coming back) moves every chip of the node alike
 *   (as the end of a cooling fault met a job's power step, a die can hold its reading while its model climbs 3 °C:
 *   its peers' excess fell by as much, the corrected expectation did not move).</li>
 *   <li><b>Steady chips</b> (on a job, the same one for at least {@code windowSeconds}: an idle die has no job
 *   swings, its model's range is its power noise, and a job's first seconds move the model before the die): the run
 *   lasted {@code windowSeconds} (and holds at least {@code minWindowFraction} of
 *   the samples the chip's own interval gives in that time), the model moved at least
 *   {@code minSteadyExpectedRangeC} over it and swung at least {@code minSteadyRippleC} within its parts (the median,
 *   over the window's twelve buckets, of the model's range within a bucket: how far the job's phases swing the die
 *   within seconds; a slow drift of the model is mostly its own error, its time constant not the chip's, and a die
 *   whose phases swing it a few tenths of a degree stays inside one degree for minutes), and the chip's node peers
 *   on the same job (at least {@code minPeers})
 *   changed their readings in a median share of at least {@code minPeerChangeFraction} of their samples over the
 *   same window. A live whole-degree sensor whose true temperature spans a rounding boundary must change; the
 *   peers' flicker says the job's thermal swings reach the boundaries (docs/SIMULATOR.md, "Why a frozen sensor
 *   can be told").</li>
 * </ul>
 * Every rule also needs the reading within {@code maxExcessC} of the model, or of the model corrected by the peers'
 * common excess (an overheating die held at its ceiling is heat, not a blind sensor; a whole rack running hot is its
 * inlet, and a sensor frozen in it is still blind). An anomaly starts when its evidence is complete (the run's first
 * reading says nothing about when the sensor froze); it closes at the chip's first reading that differs.
 *
 * <p>After a silence of the chip (longer than a third of the thermal lag, {@code thermal.powerLagSeconds}) its model
 * was re-anchored on the temperature as if all of it came from power; in a rack whose inlet is hot that is wrong by
 * the inlet's rise, and the model then moves by that error with the lag. For {@value #SETTLE_LAGS} lags after such
 * a silence (95 % of the error gone) the chip's expected temperature counts for no rule, nor as a peer's excess.
 *
 * <p>The node's readings are taken tick by tick as the watermark passes them ({@link TickDetector}; a reading behind
 * it is dropped, as an out-of-order one always was): the chips of a node reach the job from several partitions, some
 * seconds apart in event time, and a chip's reading is compared with its peers' readings of the same instant, not
 * with wherever their partitions have got to.
 */
public class StuckSensorDetector extends TickDetector {
    private static final long serialVersionUID = 1L;
    /** Thermal lags after a silence during which the chip's re-anchored model settles. */
    static final int SETTLE_LAGS = 3;

    private final DetectionConfig.StuckSensor config;
    /** A silence after which the chip's model was re-anchored, and how long it then settles, ms. */
    private final long reanchorGapMillis;
    private final long settleMillis;
    private final StuckBuckets buckets;
    private transient MapState<String, Track> tracks;

    /** The detector with the thresholds of {@code config}'s {@code stuckSensor} and its thermal model's lag. */
    public StuckSensorDetector(DetectionConfig config) {
        Objects.requireNonNull(config, "config");
        this.config = config.stuckSensor();
        this.reanchorGapMillis = Math.round(config.thermal().powerLagSeconds() * 1000 / 3);
        this.settleMillis = Math.round(config.thermal().powerLagSeconds() * 1000 * SETTLE_LAGS);
        this.buckets = new StuckBuckets(this.config.windowSeconds());
    }

    /** One chip's current run of identical readings and its recent reading changes; a Flink POJO. */
    public static final class Track {
        public long lastMillis;
        /** The chip's sampling interval, learned from its samples (0: not yet known). */
        public long intervalMillis;
        public String job;
        /** When the chip's job (null: idle) last changed: its first reading, or a job starting or ending. */
        public long jobSinceMillis;
        public double tempC;
        public long startMillis;
        public int length;
        public double powerMinW;
        public double powerMaxW;
        /** Range of the expected temperature over the run's warm readings (NaN: none yet). */
        public double expectedMinC = Double.NaN;
        public double expectedMaxC = Double.NaN;
        /** Range of the expected temperature plus the peers' median excess over the run (NaN: none yet). */
        public double peerExpectedMinC = Double.NaN;
        public double peerExpectedMaxC = Double.NaN;
        /** The latest warm, settled reading's excess and its time (0: none). */
        public double excessC;
        public long excessMillis;
        /** The first reading after the chip's latest silence: its model was re-anchored there (0: none). */
        public long anchorMillis;
        /** Reading changes and readings per bucket of the peer window, and each slot's bucket number. */
        public long[] bucketOf = new long[StuckBuckets.BUCKETS];
        public int[] changes = new int[StuckBuckets.BUCKETS];
        public int[] readings = new int[StuckBuckets.BUCKETS];
        /** Per bucket, the lowest and highest expected temperature of the warm, settled readings (NaN: none). */
        public double[] expectedLow = StuckBuckets.unknown();
        public double[] expectedHigh = StuckBuckets.unknown();
        public Anomaly open;

        public Track() {
        }
    }

    @Override
    protected void openState() {
        tracks = getRuntimeContext().getMapState(new MapStateDescriptor<>("stuck-tracks",
                StringKeySerializer.KEY_TYPE, TypeInformation.of(Track.class)));
    }

    @Override
    protected void onTick(String node, long ts, List<ChipReading> readings, TimerService timers,
                          Collector<Anomaly> out) throws Exception {
        for (ChipReading r : readings) {
            onReading(r, out);
        }
    }

    /** One chip's reading, its node's readings taken in time order (a peer's latest is at most a tick old). */
    private void onReading(ChipReading r, Collector<Anomaly> out) throws Exception {
        Track t = tracks.get(r.chip());
        long ts = r.timestampMillis();
        if (t != null && ts <= t.lastMillis) {
            return;
        }
        if (t == null) {
            t = new Track();
            restart(t, r);
            t.job = r.job();
            t.jobSinceMillis = ts;
        } else {
            if (t.expectedLow == null) {
                // State from before the ripple was kept: it starts from here.
                t.expectedLow = StuckBuckets.unknown();
                t.expectedHigh = StuckBuckets.unknown();
            }
            long gap = ts - t.lastMillis;
            if (t.intervalMillis == 0 || gap < t.intervalMillis * 3 / 2) {
                t.intervalMillis = gap;
            }
            if (gap > reanchorGapMillis) {
                t.anchorMillis = ts;
            }
            if (!r.suspect()) {
                boolean changed = Double.compare(r.tempC(), t.tempC) != 0;
                buckets.count(t, ts, changed);
                if (!changed) {
                    t.length++;
                    t.powerMinW = Math.min(t.powerMinW, r.powerW());
                    t.powerMaxW = Math.max(t.powerMaxW, r.powerW());
                } else {
                    if (t.open != null) {
                        out.collect(t.open.close(ts));
                        t.open = null;
                    }
                    restart(t, r);
                }
            }
        }
        boolean settled = r.warm() && !r.suspect() && (t.anchorMillis == 0 || ts - t.anchorMillis >= settleMillis);
        if (settled) {
            t.excessC = r.excessC();
            t.excessMillis = ts;
        }
        double peerExcess = settled ? peerExcess(r.chip(), ts) : Double.NaN;
        if (settled) {
            expect(t, r, peerExcess);
            buckets.swing(t, ts, r.expectedC());
        }
        t.lastMillis = ts;
        if (!Objects.equals(t.job, r.job())) {
            t.jobSinceMillis = ts;
        }
        t.job = r.job();
        boolean withinModel = Math.abs(r.excessC()) < config.maxExcessC()
                || !Double.isNaN(peerExcess) && Math.abs(r.excessC() - peerExcess) < config.maxExcessC();
        if (t.open == null && r.warm() && !r.suspect() && withinModel) {
            Evidence evidence = evidence(t, r);
            if (evidence != null) {
                t.open = Tags.chip(Anomaly.builder(), r)
                        .type(AnomalyType.STUCK_SENSOR).entity(r.chip())
                        .startMillis(ts).eventMillis(ts)
                        .value(t.tempC).threshold(evidence.repeatsLimit())
                        .fact(Fact.TEMP_C, t.tempC).fact(Fact.REPEATS, t.length)
                        .fact(Fact.REPEATS_LIMIT, evidence.repeatsLimit())
                        .fact(Fact.POWER_RANGE_W, t.powerMaxW - t.powerMinW)
                        .detail("temperature reads exactly " + Tags.f2(t.tempC) + " °C " + t.length
                                + " times in a row (" + Tags.f1((ts - t.startMillis) / 1000.0) + " s) while power moved "
                                + Tags.f1(t.powerMaxW - t.powerMinW) + " W and " + evidence.phrase())
                        .build();
                out.collect(t.open);
            }
        }
        tracks.put(r.chip(), t);
    }

    /** Why a run is a frozen sensor: a phrase for the detail, and the readings in a row the rule needed. */
    private record Evidence(String phrase, int repeatsLimit) {
    }

    /** Why the run is a frozen sensor, or null while it may be a live one. */
    private Evidence evidence(Track t, ChipReading r) throws Exception {
        double powerRange = t.powerMaxW - t.powerMinW;
        double expectedRange = Double.isNaN(t.expectedMinC) ? 0 : t.expectedMaxC - t.expectedMinC;
        if (powerRange >= config.minPowerRangeW()) {
            boolean fractional = t.tempC != Math.rint(t.tempC);
            if (fractional && t.length >= config.minRepeats()) {
                return new Evidence("the source reports fractions of a degree", config.minRepeats());
            }
            // A whole-degree reading repeats for as long as the die stays within one degree: a live die lagging a
            // power step holds one for 4-5 samples while its model moves 3 °C (issue #21); the model rule needs more.
            boolean peersToo = Double.isNaN(t.peerExpectedMinC)
                    || t.peerExpectedMaxC - t.peerExpectedMinC >= config.minExpectedRangeC();
            // And within the last window (judged last, it reads the whole ring): a die follows a move of its model
            // within the thermal lag, while a model that drifts (its lag is not the chip's, its baseline creeps) can
            // add up 3 °C over a quarter of an hour.
            if (!fractional && t.length >= config.modelMinRepeats() && expectedRange >= config.minExpectedRangeC()
                    && peersToo && buckets.recentRange(t, r.timestampMillis()) >= config.minExpectedRangeC()) {
                String beside = Double.isNaN(t.peerExpectedMinC) ? "" : " (" + Tags.f1(t.peerExpectedMaxC
                        - t.peerExpectedMinC) + " °C with its node peers' common excess)";
                return new Evidence("the chip's model expected it to move " + Tags.f1(expectedRange) + " °C" + beside,
                        config.modelMinRepeats());
            }
        }
        long window = Math.round(config.windowSeconds() * 1000);
        long duration = r.timestampMillis() - t.startMillis;
        // The rule reads the job's thermal swings: an idle chip has none (its model's range is its power noise), and a
        // job that started within the window has moved the model before the lagging die could follow.
        if (duration < window || t.intervalMillis == 0 || r.job() == null
                || r.timestampMillis() - t.jobSinceMillis < window || expectedRange < config.minSteadyExpectedRangeC()
                || t.length < config.minWindowFraction() * duration / t.intervalMillis) {
            return null;
        }
        double ripple = buckets.ripple(t, r.timestampMillis(), window);
        if (ripple < config.minSteadyRippleC()) {
            return null;
        }
        List<Double> shares = new ArrayList<>();
        for (Map.Entry<String, Track> e : tracks.entries()) {
            Track peer = e.getValue();
            if (e.getKey().equals(r.chip()) || !Objects.equals(peer.job, r.job()) || peer.intervalMillis == 0
                    || Math.abs(peer.lastMillis - r.timestampMillis()) > window) {
                continue;
            }
            // The peer's own latest window: the node's chips reach the job from several partitions, some seconds
            // apart in event time, and the job's flicker is the same a few seconds earlier or later.
            int[] counted = buckets.counted(peer, peer.lastMillis, window);
            if (counted[1] >= config.minWindowFraction() * window / peer.intervalMillis) {
                shares.add(counted[0] / (double) counted[1]);
            }
        }
        if (shares.size() < config.minPeers()) {
            return null;
        }
        Collections.sort(shares);
        int n = shares.size();
        double median = n % 2 == 1 ? shares.get(n / 2) : (shares.get(n / 2 - 1) + shares.get(n / 2)) / 2;
        if (median < config.minPeerChangeFraction()) {
            return null;
        }
        return new Evidence("the chip's model expected it to move " + Tags.f1(expectedRange) + " °C (swinging "
                + Tags.f1(ripple) + " °C within " + Tags.f1(buckets.bucketMillis() / 1000.0) + " s) while its " + n
                + " node peers on the job changed their readings in " + Math.round(100 * median)
                + " % of their samples", (int) Math.ceil(config.minWindowFraction() * window / t.intervalMillis));
    }

    private static void restart(Track t, ChipReading r) {
        t.tempC = r.tempC();
        t.startMillis = r.timestampMillis();
        t.length = 1;
        t.powerMinW = r.powerW();
        t.powerMaxW = r.powerW();
        t.expectedMinC = Double.NaN;
        t.expectedMaxC = Double.NaN;
        t.peerExpectedMinC = Double.NaN;
        t.peerExpectedMaxC = Double.NaN;
    }

    /**
     * The median excess of the chip's node peers (their latest warm, settled readings within a peer bucket of
     * {@code ts}): what the node shares, its inlet; NaN when fewer than {@code minPeers} others report.
     */
    private double peerExcess(String chip, long ts) throws Exception {
        List<Double> excess = new ArrayList<>();
        for (Map.Entry<String, Track> e : tracks.entries()) {
            Track peer = e.getValue();
            if (!e.getKey().equals(chip) && peer.excessMillis != 0
                    && Math.abs(peer.excessMillis - ts) <= buckets.bucketMillis()) {
                excess.add(peer.excessC);
            }
        }
        if (excess.size() < config.minPeers()) {
            return Double.NaN;
        }
        Collections.sort(excess);
        int n = excess.size();
        return n % 2 == 1 ? excess.get(n / 2) : (excess.get(n / 2 - 1) + excess.get(n / 2)) / 2;
    }

    /**
     * Widens the run's ranges of the expected temperature by a warm, settled reading's: the chip's own, and with the
     * peers' common excess added ({@code peerExcess}, NaN: none).
     */
    private static void expect(Track t, ChipReading r, double peerExcess) {
        double expected = r.expectedC();
        t.expectedMinC = Double.isNaN(t.expectedMinC) ? expected : Math.min(t.expectedMinC, expected);
        t.expectedMaxC = Double.isNaN(t.expectedMaxC) ? expected : Math.max(t.expectedMaxC, expected);
        if (!Double.isNaN(peerExcess)) {
            double corrected = expected + peerExcess;
            t.peerExpectedMinC = Double.isNaN(t.peerExpectedMinC) ? corrected : Math.min(t.peerExpectedMinC, corrected);
            t.peerExpectedMaxC = Double.isNaN(t.peerExpectedMaxC) ? corrected : Math.max(t.peerExpectedMaxC, corrected);
        }
    }
}
