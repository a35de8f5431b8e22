package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * stuck_sensor, keyed by node: a chip's temperature reading stands still where a live sensor could not have. A
 * warning: the chip may be fine, its thermal protection is blind. Three ways to tell, each on a run of identical
 * readings (readings of chips still warming up, out of order or held as suspects neither count towards nor break
 * a run):
 * <ul>
 *   <li><b>A fractional reading</b> (the source reports finer than whole degrees) repeated {@code minRepeats} times
 *   while the power moved {@code minPowerRangeW}: a live sensor's noise changes the last digit every sample.</li>
 *   <li><b>The model moved</b>: the temperature the chip's thermal model expects ({@link ThermalFeatures}: the
 *   reading minus its excess) moved {@code minExpectedRangeC} over the run, further than whole-degree rounding
 *   and the model's own error can hide.</li>
 *   <li><b>Steady chips</b> (on a job, the same one for at least {@code windowSeconds}: an idle die has no job
 *   swings, its model's range is its power noise, and a job's first seconds move the model before the die): the run
 *   lasted {@code windowSeconds} (and holds at least {@code minWindowFraction} of
 *   the samples the chip's own interval gives in that time), the model moved at least
 *   {@code minSteadyExpectedRangeC} over it, and the chip's node peers on the same job (at least {@code minPeers})
 *   changed their readings in a median share of at least {@code minPeerChangeFraction} of their samples over the
 *   same window. A live whole-degree sensor whose true temperature spans a rounding boundary must change; the
 *   peers' flicker says the job's thermal swings reach the boundaries (docs/SIMULATOR.md, "Why a frozen sensor
 *   can be told").</li>
 * </ul>
 * Every rule also needs the reading within {@code maxExcessC} of the model (an overheating die held at its ceiling
 * is heat, not a blind sensor). An anomaly starts when its evidence is complete (the run's first reading says
 * nothing about when the sensor froze); it closes at the chip's first reading that differs.
 */
public class StuckSensorDetector extends KeyedProcessFunction<String, ChipReading, Anomaly> {
    private static final long serialVersionUID = 1L;
    /** Buckets the peer window is counted in. */
    static final int BUCKETS = 12;

    private final DetectionConfig.StuckSensor config;
    private transient MapState<String, Track> tracks;

    public StuckSensorDetector(DetectionConfig.StuckSensor config) {
        this.config = Objects.requireNonNull(config, "config");
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
        /** Reading changes and readings per bucket of the peer window, and each slot's bucket number. */
        public long[] bucketOf = new long[BUCKETS];
        public int[] changes = new int[BUCKETS];
        public int[] readings = new int[BUCKETS];
        public Anomaly open;

        public Track() {
        }
    }

    @Override
    public void open(OpenContext openContext) {
        tracks = getRuntimeContext().getMapState(new MapStateDescriptor<>("stuck-tracks",
                StringKeySerializer.KEY_TYPE, TypeInformation.of(Track.class)));
    }

    @Override
    public void processElement(ChipReading r, Context ctx, Collector<Anomaly> out) throws Exception {
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
            long gap = ts - t.lastMillis;
            if (t.intervalMillis == 0 || gap < t.intervalMillis * 3 / 2) {
                t.intervalMillis = gap;
            }
            if (!r.suspect()) {
                boolean changed = Double.compare(r.tempC(), t.tempC) != 0;
                count(t, ts, changed);
                if (!changed) {
                    t.length++;
                    t.powerMinW = Math.min(t.powerMinW, r.powerW());
                    t.powerMaxW = Math.max(t.powerMaxW, r.powerW());
                    expect(t, r);
                } else {
                    if (t.open != null) {
                        out.collect(t.open.close(ts));
                        t.open = null;
                    }
                    restart(t, r);
                }
            }
        }
        t.lastMillis = ts;
        if (!Objects.equals(t.job, r.job())) {
            t.jobSinceMillis = ts;
        }
        t.job = r.job();
        if (t.open == null && r.warm() && !r.suspect() && Math.abs(r.excessC()) < config.maxExcessC()) {
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
        if (t.length >= config.minRepeats() && powerRange >= config.minPowerRangeW()) {
            if (t.tempC != Math.rint(t.tempC)) {
                return new Evidence("the source reports fractions of a degree", config.minRepeats());
            }
            if (expectedRange >= config.minExpectedRangeC()) {
                return new Evidence("the chip's model expected it to move " + Tags.f1(expectedRange) + " °C",
                        config.minRepeats());
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
        List<Double> shares = new ArrayList<>();
        for (Map.Entry<String, Track> e : tracks.entries()) {
            Track peer = e.getValue();
            if (e.getKey().equals(r.chip()) || !Objects.equals(peer.job, r.job()) || peer.intervalMillis == 0
                    || Math.abs(peer.lastMillis - r.timestampMillis()) > window) {
                continue;
            }
            // The peer's own latest window: the node's chips reach the job from several partitions, some seconds
            // apart in event time, and the job's flicker is the same a few seconds earlier or later.
            int[] counted = counted(peer, peer.lastMillis, window);
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
        return new Evidence("the chip's model expected it to move " + Tags.f1(expectedRange) + " °C while its " + n
                + " node peers on the job changed their readings in " + Math.round(100 * median)
                + " % of their samples", (int) Math.ceil(config.minWindowFraction() * window / t.intervalMillis));
    }

    /** Counts one in-order, non-suspect reading (and whether it changed) into the chip's bucket ring. */
    private void count(Track t, long ts, boolean changed) {
        long bucket = ts / bucketMillis();
        int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
        if (t.bucketOf[slot] != bucket) {
            t.bucketOf[slot] = bucket;
            t.changes[slot] = 0;
            t.readings[slot] = 0;
        }
        t.readings[slot]++;
        if (changed) {
            t.changes[slot]++;
        }
    }

    /** A peer's changes and readings over the window ending at {@code ts} (whole buckets). */
    private int[] counted(Track peer, long ts, long window) {
        long last = ts / bucketMillis();
        long first = last - Math.max(1, window / bucketMillis()) + 1;
        int[] sums = new int[2];
        for (int i = 0; i < BUCKETS; i++) {
            if (peer.bucketOf[i] >= first && peer.bucketOf[i] <= last) {
                sums[0] += peer.changes[i];
                sums[1] += peer.readings[i];
            }
        }
        return sums;
    }

    private long bucketMillis() {
        return Math.max(1, Math.round(config.windowSeconds() * 1000 / BUCKETS));
    }

    private static void restart(Track t, ChipReading r) {
        t.tempC = r.tempC();
        t.startMillis = r.timestampMillis();
        t.length = 1;
        t.powerMinW = r.powerW();
        t.powerMaxW = r.powerW();
        t.expectedMinC = Double.NaN;
        t.expectedMaxC = Double.NaN;
        expect(t, r);
    }

    /** Widens the run's range of the expected temperature by a warm reading's. */
    private static void expect(Track t, ChipReading r) {
        if (!r.warm() || r.suspect()) {
            return;
        }
        double expected = r.tempC() - r.excessC();
        t.expectedMinC = Double.isNaN(t.expectedMinC) ? expected : Math.min(t.expectedMinC, expected);
        t.expectedMaxC = Double.isNaN(t.expectedMaxC) ? expected : Math.max(t.expectedMaxC, expected);
    }
}
