package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.LinkEndEvent;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * link_degraded and link_flap as seen from one end, keyed by chip: every link of the chip against that link's own
 * latency baseline. Both ends of a link judge it independently; {@link LinkRollup} makes one anomaly of them.
 * Working at the chip avoids shuffling every link reading (8 a sample) across the cluster.
 *
 * <p><b>Baseline.</b> Starts at the first reading (or the configured nominal latency of the link's kind when the
 * first reading is far from it), then learns with rate {@code baselineAlpha} from readings below
 * {@code learnBelowRatio} times itself only: communication phases (x1.4-2.6), microbursts and faults never raise it.
 *
 * <p><b>Readings.</b> Each is normal (below {@code highRatio} x baseline), high, huge (at least {@code flapRatio}),
 * extreme (at least {@code extremeRatio}) or missing (the chip reported, the link was not in its sample). A run is
 * a stretch of consecutive non-normal readings; a run of one reading is never enough on its own.
 * <ul>
 *   <li>link_flap: {@code missingSamples} missing in a row; two extreme in a row (no degraded link gets there); a
 *       run with huge or missing readings that ends within {@code maxBurstSamples} (a burst); or a second bad
 *       episode (missing, huge, or two high readings) within {@code flapWindowMs} of the previous one. Closes
 *       after {@code flapQuietMs} without a bad reading.</li>
 *   <li>link_degraded: a run of {@code degradedSamples} with no missing reading and at least one merely high
 *       (x5-x50 is below {@code flapRatio} outside communication phases), or any run without missing readings
 *       longer than a flap burst can be ({@code maxBurstSamples} + 1). Closes after {@code clearSamples} normal
 *       readings in a row.</li>
 * </ul>
 * A single high reading (a microburst, even in a communication phase) is never enough. A link missing for
 * {@code forgetAfterMs} is forgotten (the topology changed).
 */
public class LinkLatencyDetector extends KeyedProcessFunction<String, ChipSample, LinkEndEvent> {
    private static final long serialVersionUID = 1L;
    static final byte NONE = 0;
    static final byte DEGRADED = 1;
    static final byte FLAP = 2;

    private final DetectionConfig.Link config;
    private transient ValueState<LinkEnds> state;

    public LinkLatencyDetector(DetectionConfig.Link config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The chip's view of each of its links, one slot per link, as parallel arrays; checkpointed with
     * {@link LinkEndsSerializer} (a new field must be added there too).
     */
    public static final class LinkEnds {
        public long lastMillis;
        public String[] link;
        public String[] peer;
        public String[] kind;
        public double[] baselineUs;
        public long[] lastSeenMillis;
        public int[] run;
        public int[] runHigh;
        public int[] runHuge;
        public int[] runMissing;
        public boolean[] runSignificant;
        public double[] runMaxRatio;
        public int[] extremeRow;
        public int[] missingRow;
        public int[] normalRow;
        public long[] lastEpisodeMillis;
        public long[] lastBadMillis;
        public byte[] open;

        public LinkEnds() {
        }

        /** State with {@code n} empty slots, every array allocated (a restore fills them). */
        public static LinkEnds withSlots(int n) {
            LinkEnds s = new LinkEnds();
            s.link = new String[n];
            s.peer = new String[n];
            s.kind = new String[n];
            s.baselineUs = new double[n];
            s.lastSeenMillis = new long[n];
            s.run = new int[n];
            s.runHigh = new int[n];
            s.runHuge = new int[n];
            s.runMissing = new int[n];
            s.runSignificant = new boolean[n];
            s.runMaxRatio = new double[n];
            s.extremeRow = new int[n];
            s.missingRow = new int[n];
            s.normalRow = new int[n];
            s.lastEpisodeMillis = new long[n];
            s.lastBadMillis = new long[n];
            s.open = new byte[n];
            return s;
        }

        int size() {
            return link == null ? 0 : link.length;
        }

        int slotOf(String id) {
            for (int i = 0; i < size(); i++) {
                if (link[i].equals(id)) {
                    return i;
                }
            }
            return -1;
        }

        /** Adds a slot; returns its index. */
        int add(String id, String peerId, String kindLabel, double baseline, long ts) {
            int n = size();
            link = n == 0 ? new String[1] : Arrays.copyOf(link, n + 1);
            peer = n == 0 ? new String[1] : Arrays.copyOf(peer, n + 1);
            kind = n == 0 ? new String[1] : Arrays.copyOf(kind, n + 1);
            baselineUs = n == 0 ? new double[1] : Arrays.copyOf(baselineUs, n + 1);
            lastSeenMillis = n == 0 ? new long[1] : Arrays.copyOf(lastSeenMillis, n + 1);
            run = n == 0 ? new int[1] : Arrays.copyOf(run, n + 1);
            runHigh = n == 0 ? new int[1] : Arrays.copyOf(runHigh, n + 1);
            runHuge = n == 0 ? new int[1] : Arrays.copyOf(runHuge, n + 1);
            runMissing = n == 0 ? new int[1] : Arrays.copyOf(runMissing, n + 1);
            runSignificant = n == 0 ? new boolean[1] : Arrays.copyOf(runSignificant, n + 1);
            runMaxRatio = n == 0 ? new double[1] : Arrays.copyOf(runMaxRatio, n + 1);
            extremeRow = n == 0 ? new int[1] : Arrays.copyOf(extremeRow, n + 1);
            missingRow = n == 0 ? new int[1] : Arrays.copyOf(missingRow, n + 1);
            normalRow = n == 0 ? new int[1] : Arrays.copyOf(normalRow, n + 1);
            lastEpisodeMillis = n == 0 ? new long[1] : Arrays.copyOf(lastEpisodeMillis, n + 1);
            lastBadMillis = n == 0 ? new long[1] : Arrays.copyOf(lastBadMillis, n + 1);
            open = n == 0 ? new byte[1] : Arrays.copyOf(open, n + 1);
            link[n] = id;
            peer[n] = peerId;
            kind[n] = kindLabel;
            baselineUs[n] = baseline;
            lastSeenMillis[n] = ts;
            return n;
        }

        /** Removes slot {@code i}. */
        void remove(int i) {
            int n = size();
            int tail = n - i - 1;
            System.arraycopy(link, i + 1, link, i, tail);
            System.arraycopy(peer, i + 1, peer, i, tail);
            System.arraycopy(kind, i + 1, kind, i, tail);
            System.arraycopy(baselineUs, i + 1, baselineUs, i, tail);
            System.arraycopy(lastSeenMillis, i + 1, lastSeenMillis, i, tail);
            System.arraycopy(run, i + 1, run, i, tail);
            System.arraycopy(runHigh, i + 1, runHigh, i, tail);
            System.arraycopy(runHuge, i + 1, runHuge, i, tail);
            System.arraycopy(runMissing, i + 1, runMissing, i, tail);
            System.arraycopy(runSignificant, i + 1, runSignificant, i, tail);
            System.arraycopy(runMaxRatio, i + 1, runMaxRatio, i, tail);
            System.arraycopy(extremeRow, i + 1, extremeRow, i, tail);
            System.arraycopy(missingRow, i + 1, missingRow, i, tail);
            System.arraycopy(normalRow, i + 1, normalRow, i, tail);
            System.arraycopy(lastEpisodeMillis, i + 1, lastEpisodeMillis, i, tail);
            System.arraycopy(lastBadMillis, i + 1, lastBadMillis, i, tail);
            System.arraycopy(open, i + 1, open, i, tail);
            link = Arrays.copyOf(link, n - 1);
            peer = Arrays.copyOf(peer, n - 1);
            kind = Arrays.copyOf(kind, n - 1);
            baselineUs = Arrays.copyOf(baselineUs, n - 1);
            lastSeenMillis = Arrays.copyOf(lastSeenMillis, n - 1);
            run = Arrays.copyOf(run, n - 1);
            runHigh = Arrays.copyOf(runHigh, n - 1);
            runHuge = Arrays.copyOf(runHuge, n - 1);
            runMissing = Arrays.copyOf(runMissing, n - 1);
            runSignificant = Arrays.copyOf(runSignificant, n - 1);
            runMaxRatio = Arrays.copyOf(runMaxRatio, n - 1);
            extremeRow = Arrays.copyOf(extremeRow, n - 1);
            missingRow = Arrays.copyOf(missingRow, n - 1);
            normalRow = Arrays.copyOf(normalRow, n - 1);
            lastEpisodeMillis = Arrays.copyOf(lastEpisodeMillis, n - 1);
            lastBadMillis = Arrays.copyOf(lastBadMillis, n - 1);
            open = Arrays.copyOf(open, n - 1);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("link-ends", LinkEndsSerializer.INSTANCE));
    }

    @Override
    public void processElement(ChipSample sample, Context ctx, Collector<LinkEndEvent> out) throws Exception {
        LinkEnds s = state.value();
        if (s == null) {
            s = new LinkEnds();
        }
        long ts = sample.timestampMillis();
        if (ts <= s.lastMillis) {
            return;
        }
        s.lastMillis = ts;
        List<LinkLatency> links = sample.links();
        boolean[] present = new boolean[s.size()];
        for (LinkLatency l : links) {
            int i = s.slotOf(l.link());
            if (i < 0) {
                double prior = l.kind() == LinkKind.FABRIC ? config.fabricNominalUs() : config.intraNominalUs();
                double first = l.latencyUs();
                double baseline = first >= prior / 2 && first <= prior * 2 ? first : prior;
                i = s.add(l.link(), l.peer(), l.kind().label(), baseline, ts);
                present = Arrays.copyOf(present, s.size());
            }
            present[i] = true;
            s.lastSeenMillis[i] = ts;
            observe(s, i, ts, l.latencyUs(), sample, out);
        }
        for (int i = s.size() - 1; i >= 0; i--) {
            if (present[i]) {
                continue;
            }
            if (ts - s.lastSeenMillis[i] >= config.forgetAfterMs()) {
                if (s.open[i] != NONE) {
                    out.collect(event(s, i, sample, ts, false, 0, "link no longer in the chip's samples"));
                }
                s.remove(i);
            } else {
                observe(s, i, ts, Double.NaN, sample, out);
            }
        }
        state.update(s);
    }

    private void observe(LinkEnds s, int i, long ts, double latencyUs, ChipSample sample,
                         Collector<LinkEndEvent> out) {
        boolean missing = Double.isNaN(latencyUs);
        double ratio = missing ? 0 : latencyUs / s.baselineUs[i];
        boolean bad = missing || ratio >= config.highRatio();
        if (!bad) {
            if (ratio < config.learnBelowRatio()) {
                double alpha = ratio < 1 ? Math.min(1.0, 4 * config.baselineAlpha()) : config.baselineAlpha();
                s.baselineUs[i] += alpha * (latencyUs - s.baselineUs[i]);
            }
            if (s.run[i] > 0) {
                endRun(s, i, ts, sample, out);
            }
            s.normalRow[i]++;
            s.missingRow[i] = 0;
            s.extremeRow[i] = 0;
            if (s.open[i] == DEGRADED && s.normalRow[i] >= config.clearSamples()) {
                out.collect(event(s, i, sample, ts, false, ratio, "latency back to "
                        + Tags.f1(ratio) + "x its baseline for " + s.normalRow[i] + " readings"));
                s.open[i] = NONE;
            }
        } else {
            s.run[i]++;
            s.normalRow[i] = 0;
            s.lastBadMillis[i] = ts;
            if (missing) {
                s.runMissing[i]++;
                s.missingRow[i]++;
                s.extremeRow[i] = 0;
            } else {
                s.missingRow[i] = 0;
                s.extremeRow[i] = ratio >= config.extremeRatio() ? s.extremeRow[i] + 1 : 0;
                if (ratio >= config.flapRatio()) {
                    s.runHuge[i]++;
                } else {
                    s.runHigh[i]++;
                }
                s.runMaxRatio[i] = Math.max(s.runMaxRatio[i], ratio);
            }
            boolean significant = s.runMissing[i] > 0 || s.runHuge[i] > 0 || s.run[i] >= 2;
            if (significant && !s.runSignificant[i]) {
                s.runSignificant[i] = true;
                if (s.open[i] == NONE && s.lastEpisodeMillis[i] > 0
                        && ts - s.lastEpisodeMillis[i] <= config.flapWindowMs()) {
                    open(s, i, FLAP, sample, ts, ratio, flapFacts(2, s.runMissing[i]), out,
                            "second bad episode within " + (ts - s.lastEpisodeMillis[i]) / 1000 + " s");
                }
            }
            if (s.open[i] == NONE) {
                if (s.missingRow[i] >= config.missingSamples()) {
                    open(s, i, FLAP, sample, ts, 0, flapFacts(1, s.missingRow[i]), out, "missing from "
                            + s.missingRow[i] + " samples in a row while the chip reports");
                } else if (s.extremeRow[i] >= 2) {
                    open(s, i, FLAP, sample, ts, ratio, flapFacts(1, 0), out, "latency burst at "
                            + Tags.f1(ratio) + "x its baseline");
                } else if (s.runMissing[i] == 0 && ((s.run[i] >= config.degradedSamples() && s.runHigh[i] > 0)
                        || s.run[i] > config.maxBurstSamples())) {
                    open(s, i, DEGRADED, sample, ts, ratio, Map.of(Fact.RATIO_LIMIT.key(), config.highRatio(),
                            Fact.SAMPLES.key(), (double) s.run[i]), out, "latency " + Tags.f1(ratio)
                            + "x its baseline of " + Tags.f2(s.baselineUs[i]) + " µs for " + s.run[i] + " readings");
                }
            }
        }
        if (s.open[i] == FLAP && ts - s.lastBadMillis[i] >= config.flapQuietMs()) {
            out.collect(event(s, i, sample, ts, false, ratio, "no burst for "
                    + (ts - s.lastBadMillis[i]) / 1000 + " s"));
            s.open[i] = NONE;
        }
    }

    /** A run of bad readings ended with a normal one. */
    private void endRun(LinkEnds s, int i, long ts, ChipSample sample, Collector<LinkEndEvent> out) {
        if (s.open[i] == NONE && s.run[i] >= 2 && s.run[i] <= config.maxBurstSamples()
                && (s.runHuge[i] > 0 || s.runMissing[i] > 0)) {
            open(s, i, FLAP, sample, ts, s.runMaxRatio[i], flapFacts(1, s.runMissing[i]), out,
                    "burst of " + s.run[i] + " readings"
                    + (s.runHuge[i] > 0 ? " at up to " + Tags.f1(s.runMaxRatio[i]) + "x its baseline" : "")
                    + (s.runMissing[i] > 0 ? ", " + s.runMissing[i] + " missing" : "") + ", then normal");
        }
        if (s.runSignificant[i]) {
            s.lastEpisodeMillis[i] = ts;
        }
        s.run[i] = 0;
        s.runHigh[i] = 0;
        s.runHuge[i] = 0;
        s.runMissing[i] = 0;
        s.runSignificant[i] = false;
        s.runMaxRatio[i] = 0;
    }

    /**
     * The facts of a flap verdict: {@code bursts} bad episodes within the flap window, and the readings missing in
     * a row when there were some (the ratio and baseline travel in the event itself).
     */
    private Map<String, Double> flapFacts(int bursts, int missing) {
        Map<String, Double> facts = new HashMap<>();
        facts.put(Fact.BURSTS.key(), (double) bursts);
        facts.put(Fact.WINDOW_S.key(), config.flapWindowMs() / 1000.0);
        if (missing > 0) {
            facts.put(Fact.MISSING_SAMPLES.key(), (double) missing);
        }
        return facts;
    }

    private void open(LinkEnds s, int i, byte what, ChipSample sample, long ts, double ratio,
                      Map<String, Double> facts, Collector<LinkEndEvent> out, String detail) {
        s.open[i] = what;
        out.collect(event(s, i, sample, ts, true, ratio, detail, facts));
    }

    private static LinkEndEvent event(LinkEnds s, int i, ChipSample sample, long ts, boolean open, double ratio,
                                      String detail) {
        return event(s, i, sample, ts, open, ratio, detail, Map.of());
    }

    private static LinkEndEvent event(LinkEnds s, int i, ChipSample sample, long ts, boolean open, double ratio,
                                      String detail, Map<String, Double> facts) {
        AnomalyType type = s.open[i] == FLAP ? AnomalyType.LINK_FLAP : AnomalyType.LINK_DEGRADED;
        return new LinkEndEvent(ts, s.link[i], sample.chip(), s.peer[i], s.kind[i], sample.node(), sample.rack(),
                sample.pod(), type.name(), open, ratio, s.baselineUs[i], "seen from " + sample.chip() + ": " + detail,
                facts);
    }
}
