package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Base of the two peer-comparison detectors, {@link StragglerDetector} and {@link PowerThrottleDetector}; keyed by
 * node. A job owns whole nodes and its chips run in lockstep, so a chip's node peers of the same job are the
 * reference for what it should be doing.
 *
 * <p>Each tick, for each chip with a job and at least {@code minPeers} peers: the peers' median utilisation
 * {@code m}, their spread {@code s} (MAD-based, floored at {@code utilSigmaFloorPct}) and median power. Only
 * <i>compute</i> ticks count: the job's median utilisation at least {@code minPeerUtilPct} and at least
 * {@code computeLevelFraction} of its recent high (a decaying maximum with time constant {@code levelSeconds}).
 * A training job's communication phases (everyone waits: utilisation dips together) and idle nodes are thereby
 * never judged, and a job starting or stopping moves all its chips alike. The last {@code windowSamples} compute
 * ticks of each chip are kept.
 *
 * <p>{@link #verdict} decides, over the shortest recent run of at least {@code minSamples} compute ticks in which
 * the chip is consistently below its peers by {@code straggler.minDeficitFraction} with a significance of
 * {@code straggler.minSignificance} standard errors, whether the chip is throttled (its power repeatedly reads the
 * same ceiling below {@code maxPowerFraction x tdpW}, or it runs at most {@code maxUtilRatio} of busy peers with
 * its power under that cap) or a straggler (anything else below its peers). The two detectors run the same
 * verdict, so they agree, and each raises its own type. An anomaly closes when the mean deficit over the last
 * {@code closeSamples} compute ticks is below {@code closeDeficitFraction}.
 */
public abstract class PeerDetector extends TickDetector {
    private static final long serialVersionUID = 1L;

    /** What the chip's recent compute ticks say. */
    public enum Verdict {
        /** Not yet decidable: wait for more compute ticks. */
        UNDECIDED, STRAGGLER, THROTTLED
    }

    protected final DetectionConfig.Peers peers;
    protected final DetectionConfig.Straggler straggler;
    protected final DetectionConfig.PowerThrottle throttle;
    private transient MapState<String, ChipWindow> windows;
    private transient ValueState<JobLevel> level;

    protected PeerDetector(DetectionConfig config) {
        Objects.requireNonNull(config, "config");
        this.peers = config.peers();
        this.straggler = config.straggler();
        this.throttle = config.powerThrottle();
    }

    /** The type this detector raises. */
    protected abstract AnomalyType type();

    /** The verdict this detector raises its type for. */
    protected abstract Verdict raisesOn();

    /** The anomaly to open for a chip whose verdict is {@link #raisesOn()}. */
    protected abstract Anomaly.Builder describe(Anomaly.Builder b, ChipReading r, ChipWindow w, int n);

    /** A chip's last compute ticks; a Flink POJO. Index {@code i} of the ring is tick {@code count - 1 - i} ago. */
    public static final class ChipWindow {
        public String job;
        public long lastMillis;
        public int count;
        public double[] util;
        public double[] peerUtil;
        public double[] peerSigma;
        public double[] power;
        public int peerCount;
        /** The verdict reached for the current shortfall (a {@link Verdict} name), or null while none. */
        public String decided;
        public Anomaly open;

        public ChipWindow() {
        }

        /** Value of {@code ring} {@code ago} compute ticks back (0 = the latest). */
        double at(double[] ring, int ago) {
            return ring[(count - 1 - ago) % ring.length];
        }
    }

    /** The node's job and the recent high of its median utilisation; a Flink POJO. */
    public static final class JobLevel {
        public String job;
        public double levelPct;
        public long lastMillis;
        /** Smoothed spread of the job's utilisation across the node's chips in compute ticks. */
        public double sigmaPct;

        public JobLevel() {
        }
    }

    @Override
    protected void openState() {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("peer-window", Types.STRING,
                TypeInformation.of(ChipWindow.class)));
        level = getRuntimeContext().getState(new ValueStateDescriptor<>("job-level", JobLevel.class));
    }

    @Override
    protected void onTick(String node, long ts, List<ChipReading> readings, TimerService timers,
                          Collector<Anomaly> out)
            throws Exception {
        Map<String, List<ChipReading>> byJob = new LinkedHashMap<>();
        for (ChipReading r : readings) {
            if (r.job() != null) {
                byJob.computeIfAbsent(r.job(), k -> new ArrayList<>()).add(r);
            }
        }
        // A node belongs to one job at a time; with two (a hand-over within the tick) take the larger.
        List<ChipReading> group = null;
        for (List<ChipReading> g : byJob.values()) {
            if (group == null || g.size() > group.size()) {
                group = g;
            }
        }
        if (group == null || group.size() < peers.minPeers() + 1) {
            return;
        }
        int n = group.size();
        double[] utils = new double[n];
        for (int i = 0; i < n; i++) {
            utils[i] = group.get(i).util();
        }
        double jobMedian = Stats.median(utils.clone(), n);
        String job = group.get(0).job();
        JobLevel lv = level.value();
        if (lv == null || !job.equals(lv.job)) {
            lv = new JobLevel();
            lv.job = job;
            lv.levelPct = jobMedian;
        } else {
            double decay = Math.exp(-(ts - lv.lastMillis) / 1000.0 / peers.levelSeconds());
            lv.levelPct = Math.max(jobMedian, lv.levelPct * decay);
        }
        lv.lastMillis = ts;
        boolean compute = jobMedian >= peers.minPeerUtilPct() && jobMedian >= peers.computeLevelFraction() * lv.levelPct;
        if (compute) {
            double spread = Stats.MAD_TO_SIGMA * Stats.mad(utils, n, jobMedian, new double[n]);
            lv.sigmaPct = lv.sigmaPct == 0 ? spread : lv.sigmaPct + (spread - lv.sigmaPct) / peers.sigmaSamples();
        }
        level.update(lv);
        if (!compute) {
            return;
        }
        // A chip against the median of its n-1 peers: that median has its own noise (~1.25/(n-1) of the variance).
        double s = Math.max(peers.utilSigmaFloorPct(), lv.sigmaPct) * Math.sqrt(1 + 1.25 / (n - 1));
        double[] others = new double[n - 1];
        for (int i = 0; i < n; i++) {
            ChipReading r = group.get(i);
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    others[k++] = utils[j];
                }
            }
            double m = Stats.median(others, k);
            ChipWindow w = windows.get(r.chip());
            if (w == null || !job.equals(w.job) || ts - w.lastMillis > 30_000) {
                Anomaly stillOpen = w == null ? null : w.open;
                w = new ChipWindow();
                w.job = job;
                int size = peers.windowSamples();
                w.util = new double[size];
                w.peerUtil = new double[size];
                w.peerSigma = new double[size];
                w.power = new double[size];
                if (stillOpen != null) {
                    // The job changed under an open anomaly: what it compared with is gone.
                    out.collect(stillOpen.close(ts));
                }
            }
            int slot = w.count % w.util.length;
            w.util[slot] = r.util();
            w.peerUtil[slot] = m;
            w.peerSigma[slot] = s;
            w.power[slot] = r.powerW();
            w.count++;
            w.lastMillis = ts;
            w.peerCount = n - 1;
            if (w.open == null) {
                int run = underperformingRun(w);
                if (run == 0) {
                    w.decided = null;
                } else if (w.decided == null) {
                    // Decided once per shortfall, so that both detectors reach the same verdict and keep it.
                    Verdict v = verdict(w, run);
                    if (v != Verdict.UNDECIDED) {
                        w.decided = v.name();
                        if (v == raisesOn()) {
                            w.open = describe(Tags.chip(Anomaly.builder(), r).type(type()).entity(r.chip())
                                    .startMillis(ts).eventMillis(ts), r, w, run).build();
                            out.collect(w.open);
                        }
                    }
                }
            } else if (w.count >= peers.closeSamples()) {
                double deficit = 0;
                double level = 0;
                for (int a = 0; a < peers.closeSamples(); a++) {
                    deficit += w.at(w.peerUtil, a) - w.at(w.util, a);
                    level += w.at(w.peerUtil, a);
                }
                if (deficit / level < peers.closeDeficitFraction()) {
                    out.collect(w.open.close(ts));
                    w.open = null;
                    w.decided = null;
                }
            }
            windows.put(r.chip(), w);
        }
    }

    /**
     * The length of the shortest recent run of compute ticks (at least {@code minSamples}) over which the chip is
     * significantly and consistently below its peers; 0 when there is none.
     */
    int underperformingRun(ChipWindow w) {
        int available = Math.min(w.count, w.util.length);
        double sumU = 0;
        double sumM = 0;
        double sumS2 = 0;
        for (int n = 1; n <= available; n++) {
            int a = n - 1;
            double u = w.at(w.util, a);
            double m = w.at(w.peerUtil, a);
            if (m <= 0 || (m - u) / m < straggler.minDeficitFraction() / 2) {
                return 0;
            }
            sumU += u;
            sumM += m;
            sumS2 += w.at(w.peerSigma, a) * w.at(w.peerSigma, a);
            if (n >= peers.minSamples()) {
                double deficit = (sumM - sumU) / n;
                double stdErr = Math.sqrt(sumS2 / n) / Math.sqrt(n);
                if (deficit / (sumM / n) >= straggler.minDeficitFraction()
                        && deficit / stdErr >= straggler.minSignificance()) {
                    return n;
                }
            }
        }
        return 0;
    }

    /** How many of the latest compute ticks (at most the window) are all consistently below the peers. */
    int shortfallRun(ChipWindow w) {
        int available = Math.min(w.count, w.util.length);
        for (int a = 0; a < available; a++) {
            double m = w.at(w.peerUtil, a);
            if (m <= 0 || (m - w.at(w.util, a)) / m < straggler.minDeficitFraction() / 2) {
                return a;
            }
        }
        return available;
    }

    /**
     * Whether the chip's power keeps reading one value (within {@code ceilingToleranceW}, at least
     * {@code ceilingRepeats} times in the current shortfall) that is under the cap and at or above the window's median power:
     * a ceiling. Live power readings are continuous; a regulator holding a cap reads its limit again and again.
     */
    boolean atCeiling(ChipWindow w, int available, double cap) {
        double[] sorted = new double[available];
        for (int a = 0; a < available; a++) {
            sorted[a] = w.at(w.power, a);
        }
        double median = Stats.median(sorted, available);
        for (int i = 0; i < available; i++) {
            double v = sorted[i];
            if (v > cap || v < median) {
                continue;
            }
            int same = 0;
            for (int j = 0; j < available; j++) {
                if (Math.abs(sorted[j] - v) <= throttle.ceilingToleranceW()) {
                    same++;
                }
            }
            if (same >= throttle.ceilingRepeats()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Straggler or throttled, judged over the last {@code n} compute ticks (and the ceiling over the whole
     * window): a repeated power ceiling under the cap is a throttle; power above the cap is not; with busy peers a
     * shortfall to at most {@code maxUtilRatio} of them is a throttle and to at least {@code straggler.minUtilRatio}
     * a straggler; in between, or with peers not busy enough to tell, it waits for the ceiling evidence until the
     * shortfall has lasted the whole window, then calls it a straggler.
     */
    Verdict verdict(ChipWindow w, int n) {
        double cap = throttle.maxPowerFraction() * throttle.tdpW();
        int available = shortfallRun(w);
        if (atCeiling(w, available, cap)) {
            return Verdict.THROTTLED;
        }
        double sumU = 0;
        double sumM = 0;
        boolean underCap = true;
        for (int a = 0; a < n; a++) {
            sumU += w.at(w.util, a);
            sumM += w.at(w.peerUtil, a);
            underCap &= w.at(w.power, a) <= cap;
        }
        if (!underCap) {
            return Verdict.STRAGGLER;
        }
        double ratio = sumU / sumM;
        if (sumM / n >= throttle.busyPeerUtilPct()) {
            if (ratio <= throttle.maxUtilRatio()) {
                return Verdict.THROTTLED;
            }
            if (ratio >= straggler.minUtilRatio()) {
                return Verdict.STRAGGLER;
            }
        }
        return available >= w.util.length ? Verdict.STRAGGLER : Verdict.UNDECIDED;
    }
}
