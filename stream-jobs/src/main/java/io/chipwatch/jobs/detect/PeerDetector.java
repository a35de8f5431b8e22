package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.jobs.detect.PeerVerdict.Verdict;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * straggler and power_throttle, keyed by node: a chip whose utilisation runs well below its job's node peers in
 * compute phases, judged a straggler (a synchronous job waits for its slowest chip) or a chip held under a power
 * cap (around 60 % of TDP). A job owns whole nodes and its chips run in lockstep, so a chip's node peers of the
 * same job are the reference for what it should be doing. One operator keeps the peer state of both types.
 *
 * <p>Each tick, for each chip with a job and at least {@code minPeers} peers: the peers' median utilisation
 * {@code m}, their spread {@code s} (MAD-based, floored at {@code utilSigmaFloorPct}) and median power. Only
 * <i>compute</i> ticks count: the job's median utilisation at least {@code minPeerUtilPct} and at least
 * {@code computeLevelFraction} of its recent high (a decaying maximum with time constant {@code levelSeconds}).
 * A training job's communication phases (everyone waits: utilisation dips together) and idle nodes are thereby
 * never judged, and a job starting or stopping moves all its chips alike. The last {@code windowSamples} compute
 * ticks of each chip are kept.
 *
 * <p>{@link PeerVerdict} decides, over the shortest recent run of at least {@code minSamples} compute ticks in
 * which the chip is consistently below its peers by {@code straggler.minDeficitFraction} with a significance of
 * {@code straggler.minSignificance} standard errors, whether the chip is throttled (its power repeatedly reads the
 * same ceiling below {@code maxPowerFraction x tdpW}, or it runs at most {@code maxUtilRatio} of busy peers with
 * its power under that cap) or a straggler (a steady or shallow shortfall at once; anything else below its peers
 * once the shortfall has filled the window without a ceiling: {@link PeerVerdict#verdict}). Each type keeps its own
 * {@link Finding}: it takes the verdict once per shortfall and opens its anomaly when the verdict is its own. An
 * anomaly closes when the mean deficit over the last {@code closeSamples} compute ticks is below
 * {@code closeDeficitFraction}. Names the chip and, in its tags, the job.
 */
public class PeerDetector extends TickDetector {
    private static final long serialVersionUID = 1L;

    /** The anomaly types this detector raises, each on its verdict. */
    enum Kind {
        STRAGGLER(AnomalyType.STRAGGLER, Verdict.STRAGGLER),
        POWER_THROTTLE(AnomalyType.POWER_THROTTLE, Verdict.THROTTLED);

        final AnomalyType type;
        final Verdict raisesOn;

        Kind(AnomalyType type, Verdict raisesOn) {
            this.type = type;
            this.raisesOn = raisesOn;
        }
    }

    private final DetectionConfig.Peers peers;
    private final DetectionConfig.Straggler straggler;
    private final DetectionConfig.PowerThrottle throttle;
    private final PeerVerdict verdicts;
    private transient MapState<String, ChipWindow> windows;
    private transient ValueState<JobLevel> level;

    public PeerDetector(DetectionConfig config) {
        this.verdicts = new PeerVerdict(config);
        this.peers = config.peers();
        this.straggler = config.straggler();
        this.throttle = config.powerThrottle();
    }

    /**
     * A chip's last compute ticks and its findings; a Flink POJO (its class name and fields are checkpointed state).
     * Index {@code i} of the ring is tick {@code count - 1 - i} ago.
     */
    public static final class ChipWindow {
        public String job;
        public long lastMillis;
        public int count;
        public double[] util;
        public double[] peerUtil;
        public double[] peerSigma;
        public double[] power;
        public int peerCount;
        /** The straggler finding of the current shortfall. */
        public Finding straggler = new Finding();
        /** The power_throttle finding of the current shortfall. */
        public Finding throttle = new Finding();

        public ChipWindow() {
        }

        /** Value of {@code ring} {@code ago} compute ticks back (0 = the latest). */
        double at(double[] ring, int ago) {
            return ring[(count - 1 - ago) % ring.length];
        }

        Finding finding(Kind kind) {
            return kind == Kind.STRAGGLER ? straggler : throttle;
        }
    }

    /** What one anomaly type made of a chip's current shortfall; a Flink POJO. */
    public static final class Finding {
        /** The verdict reached for the current shortfall (a {@link Verdict} name), or null while none. */
        public String decided;
        /** The anomaly open for this type, or null. */
        public Anomaly open;

        public Finding() {
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
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("peer-window", StringKeySerializer.KEY_TYPE,
                TypeInformation.of(ChipWindow.class)));
        level = getRuntimeContext().getState(new ValueStateDescriptor<>("job-level", JobLevel.class));
    }

    @Override
    protected void onTick(String node, long ts, List<ChipReading> readings, TimerService timers,
                          Collector<Anomaly> out)
            throws Exception {
        List<ChipReading> group = jobGroup(readings);
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
            ChipWindow w = window(r.chip(), job, ts, out);
            int slot = w.count % w.util.length;
            w.util[slot] = r.util();
            w.peerUtil[slot] = Stats.median(others, k);
            w.peerSigma[slot] = s;
            w.power[slot] = r.powerW();
            w.count++;
            w.lastMillis = ts;
            w.peerCount = n - 1;
            judge(r, w, ts, out);
            windows.put(r.chip(), w);
        }
    }

    /** The readings of the node's job; with two jobs (a hand-over within the tick) the larger; null if none. */
    private static List<ChipReading> jobGroup(List<ChipReading> readings) {
        Map<String, List<ChipReading>> byJob = new LinkedHashMap<>();
        for (ChipReading r : readings) {
            if (r.job() != null) {
                byJob.computeIfAbsent(r.job(), k -> new ArrayList<>()).add(r);
            }
        }
        List<ChipReading> group = null;
        for (List<ChipReading> g : byJob.values()) {
            if (group == null || g.size() > group.size()) {
                group = g;
            }
        }
        return group;
    }

    /**
     * The chip's window; a new one when the chip changed jobs or has not had a compute tick for 30 s, closing what
     * the old one had open (what it compared with is gone).
     */
    private ChipWindow window(String chip, String job, long ts, Collector<Anomaly> out) throws Exception {
        ChipWindow w = windows.get(chip);
        if (w != null && job.equals(w.job) && ts - w.lastMillis <= 30_000) {
            return w;
        }
        if (w != null) {
            for (Kind kind : Kind.values()) {
                Anomaly stillOpen = w.finding(kind).open;
                if (stillOpen != null) {
                    out.collect(stillOpen.close(ts));
                }
            }
        }
        w = new ChipWindow();
        w.job = job;
        int size = peers.windowSamples();
        w.util = new double[size];
        w.peerUtil = new double[size];
        w.peerSigma = new double[size];
        w.power = new double[size];
        return w;
    }

    /**
     * Each type's finding after the chip's latest compute tick: without an open anomaly, the verdict is taken once
     * per shortfall (forgotten when the shortfall ends) and opens the type's anomaly if it is the type's own; an
     * open anomaly closes when the chip has recovered. While one type is open the other is not judged: one cause
     * per chip at a time (a capped chip's shortfall moves with the phases of its job, and a window of a
     * memory-bound phase can look like a straggler's).
     */
    private void judge(ChipReading r, ChipWindow w, long ts, Collector<Anomaly> out) {
        int run = -1;
        Verdict verdict = null;
        boolean anyOpen = false;
        for (Kind kind : Kind.values()) {
            anyOpen |= w.finding(kind).open != null;
        }
        for (Kind kind : Kind.values()) {
            Finding f = w.finding(kind);
            if (f.open == null && anyOpen) {
                f.decided = null;
            } else if (f.open == null) {
                run = run < 0 ? verdicts.underperformingRun(w) : run;
                if (run == 0) {
                    f.decided = null;
                } else if (f.decided == null) {
                    verdict = verdict == null ? verdicts.verdict(w, run) : verdict;
                    if (verdict != Verdict.UNDECIDED) {
                        f.decided = verdict.name();
                        if (verdict == kind.raisesOn) {
                            f.open = describe(kind, Tags.chip(Anomaly.builder(), r).type(kind.type)
                                    .entity(r.chip()).startMillis(ts).eventMillis(ts), r, w, run).build();
                            out.collect(f.open);
                        }
                    }
                }
            } else if (verdicts.recovered(w)) {
                out.collect(f.open.close(ts));
                f.open = null;
                f.decided = null;
            }
        }
    }

    /** Value, threshold, facts and detail of a {@code kind} anomaly judged over the last {@code n} compute ticks. */
    private Anomaly.Builder describe(Kind kind, Anomaly.Builder b, ChipReading r, ChipWindow w, int n) {
        double p = 0;
        double u = 0;
        double m = 0;
        for (int a = 0; a < n; a++) {
            p = Math.max(p, w.at(w.power, a));
            u += w.at(w.util, a);
            m += w.at(w.peerUtil, a);
        }
        u /= n;
        m /= n;
        b.fact(Fact.UTIL_PCT, u).fact(Fact.PEER_UTIL_PCT, m).fact(Fact.PEERS, w.peerCount).fact(Fact.SAMPLES, n);
        if (kind == Kind.STRAGGLER) {
            return b.value(u / m).threshold(1 - straggler.minDeficitFraction())
                    .fact(Fact.DEFICIT_PCT, 100 * (m - u) / m)
                    .fact(Fact.DEFICIT_LIMIT_PCT, 100 * straggler.minDeficitFraction())
                    .detail("utilisation " + Tags.f1(u) + " % against " + Tags.f1(m) + " % for its " + w.peerCount
                            + " peers of job " + r.job() + " (" + Tags.f1(100 * (u - m) / m) + " %) over " + n
                            + " compute samples");
        }
        return b.value(p).threshold(verdicts.capW())
                .fact(Fact.POWER_W, p).fact(Fact.CAP_W, verdicts.capW()).fact(Fact.TDP_W, throttle.tdpW())
                .fact(Fact.TDP_PCT, 100 * p / throttle.tdpW())
                .detail("power capped at " + Tags.f1(p) + " W (" + Tags.f1(100 * p / throttle.tdpW()) + " % of "
                        + Tags.f1(throttle.tdpW()) + " W TDP), utilisation " + Tags.f1(u) + " % while its "
                        + w.peerCount + " peers of job " + r.job() + " run " + Tags.f1(m) + " %");
    }
}
