package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.jobs.datatypes.NodeMembers;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * chip_down and node_down, keyed by node: a chip that missed {@code silence.missedSamples} of its samples in a row
 * (judged on its own sampling interval, learned from its samples, and for at least {@code silence.minSilenceMs}) is
 * silent; when every chip of the node is silent the node is down, reported as ONE node anomaly listing its chips,
 * and no chip_down is raised for them (root cause by topology). One dropped or late sample is never silence.
 *
 * <p>Time is event time: readings are taken in time order as the watermark passes them ({@link TickDetector}), each
 * tick sets an event-time timer one silence limit after it, and when the watermark (driven by every other chip of
 * the cluster) passes that, the node's chips are checked. At 1 Hz a chip that stops is called down at the tick of
 * its third missing sample ({@code silence.missedSamples}), as soon as the node's other chips have reported that
 * tick. A replay of the topic therefore detects exactly what a live run did. When the watermark jumps to the end of
 * time (a bounded run ends) nothing is raised: the input ended, the chips did not stop.
 *
 * <p>A chip is only called down while another chip of its node still reports (reported within the last sample
 * interval); if the others are late too the check is repeated one interval later, and when half the node or more
 * is silent its chips get one interval more, so a node whose chips stop a second apart still gives one node_down
 * rather than chip_downs first.
 *
 * <p>Its node peers witness a silent chip: a chip that stops leaves its links dark, so a node peer that reported
 * after the chip fell silent, measuring as many intra-node links as it ever did ({@link ChipReading#intraLinks}),
 * still measures its link to the silent chip: the chip is alive, its samples late (three late in a row would
 * otherwise be a chip_down). It is called down only {@code silence.linkWitnessMs} later, if still silent (its
 * telemetry stopped, not necessarily the chip; the detail says so). Readings without intra-node links (real sources
 * that do not report them) witness nothing: the rule above alone. Start of a chip_down: its first missing sample
 * (last seen + its sample interval); of a node_down: the first missing sample of the last chip that stopped. Each
 * anomaly closes when the chip (any chip, for the node) reports again.
 *
 * <p>A node sees only itself: whether its silence is the fleet's (a collector or stack restart, a silent Kafka
 * partition) is the {@link SilenceGate}'s call, downstream. For that the node's member count goes to the
 * {@link #MEMBERS} side output whenever it changes.
 */
public class SilenceDetector extends TickDetector {
    private static final long serialVersionUID = 1L;

    /** Side output: the node's chip count, each time it changes (and once after a restore from older state). */
    public static final OutputTag<NodeMembers> MEMBERS =
            new OutputTag<>("node-members", TypeInformation.of(NodeMembers.class));

    private final DetectionConfig.Silence config;
    private transient MapState<String, Member> members;
    private transient ValueState<Anomaly> nodeDown;
    private transient ValueState<Integer> reportedMembers;

    public SilenceDetector(DetectionConfig.Silence config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** What the node knows about one of its chips; a Flink POJO. */
    public static final class Member {
        public String pod;
        public String rack;
        public String job;
        public long lastMillis;
        public long intervalMillis;
        /** The open chip_down of this chip, or null. */
        public Anomaly down;
        /** The intra-node links its latest reading measured, and the most any of its readings did. */
        public int intraLinks;
        public int fullLinks;

        public Member() {
        }
    }

    @Override
    protected void openState() {
        members = getRuntimeContext().getMapState(new MapStateDescriptor<>("members", StringKeySerializer.KEY_TYPE,
                TypeInformation.of(Member.class)));
        nodeDown = getRuntimeContext().getState(new ValueStateDescriptor<>("node-down", Anomaly.class));
        reportedMembers = getRuntimeContext().getState(new ValueStateDescriptor<>("reported-members", Types.INT));
    }

    @Override
    protected void onTick(String node, long ts, List<ChipReading> readings, TimerService timers,
                          Collector<Anomaly> out) throws Exception {
        long limit = Long.MAX_VALUE;
        for (ChipReading r : readings) {
            limit = Math.min(limit, limit(seen(r, out)));
        }
        timers.registerEventTimeTimer(ts + limit);
    }

    /**
     * A late reading is still a sign of life: a chip whose samples straggle in (a slow exporter, a retried send) is
     * not silent, so it counts for silence even though no tick takes it.
     */
    @Override
    protected void onLate(ChipReading r, Collector<Anomaly> out) throws Exception {
        Member m = members.get(r.chip());
        if (m != null && r.timestampMillis() > m.lastMillis) {
            seen(r, out);
        }
    }

    /** A chip reported at {@code r}'s time: its silence (and its node's) ends. Returns what the node knows of it. */
    private Member seen(ChipReading r, Collector<Anomaly> out) throws Exception {
        long ts = r.timestampMillis();
        Member m = members.get(r.chip());
        if (m == null) {
            m = new Member();
        }
        if (m.lastMillis > 0 && ts > m.lastMillis) {
            long gap = ts - m.lastMillis;
            // A gap after silence is not the sampling interval; a shorter one is (sampling may speed up).
            if (m.intervalMillis == 0 || gap < m.intervalMillis * 3 / 2) {
                m.intervalMillis = gap;
            }
        }
        if (m.down != null && ts > m.down.startMillis()) {
            out.collect(m.down.close(ts));
            m.down = null;
        }
        Anomaly node = nodeDown.value();
        if (node != null && ts > node.startMillis()) {
            out.collect(node.close(ts));
            nodeDown.clear();
            comeBack(r.chip(), ts);
        }
        m.pod = r.pod();
        m.rack = r.rack();
        m.job = r.job();
        if (ts >= m.lastMillis) {
            m.intraLinks = r.intraLinks();
            m.fullLinks = Math.max(m.fullLinks, r.intraLinks());
        }
        m.lastMillis = Math.max(m.lastMillis, ts);
        members.put(r.chip(), m);
        return m;
    }

    /**
     * The node is back (one of its chips reported at {@code ts}): its other chips come back with it, within a
     * sample or two (one may be late). Each gets its whole silence limit from now, not from before the outage, so
     * a chip whose first sample after the outage is late is not called down at once; one that does not come back
     * is a chip_down starting when its node came back.
     */
    private void comeBack(String reporting, long ts) throws Exception {
        Map<String, Member> behind = new TreeMap<>();
        for (Map.Entry<String, Member> e : members.entries()) {
            Member o = e.getValue();
            if (!e.getKey().equals(reporting) && o.lastMillis < ts - interval(o)) {
                behind.put(e.getKey(), o);
            }
        }
        for (Map.Entry<String, Member> e : behind.entrySet()) {
            e.getValue().lastMillis = ts - interval(e.getValue());
            members.put(e.getKey(), e.getValue());
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        // First every reading up to this instant, in time order; then the check at this instant.
        super.onTimer(time, ctx, out);
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            return;
        }
        Map<String, Member> all = new TreeMap<>();
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, Member> e : members.entries()) {
            Member m = e.getValue();
            if (time - m.lastMillis >= config.forgetAfterMs() && m.down == null) {
                forgotten.add(e.getKey());
            } else {
                all.put(e.getKey(), m);
            }
        }
        for (String chip : forgotten) {
            members.remove(chip);
        }
        Integer reported = reportedMembers.value();
        if (reported == null || reported != all.size()) {
            ctx.output(MEMBERS, new NodeMembers(ctx.getCurrentKey(), all.size()));
            reportedMembers.update(all.size());
        }
        if (all.isEmpty()) {
            return;
        }
        List<String> silent = new ArrayList<>();
        boolean othersAlive = false;
        long lastStop = Long.MIN_VALUE;
        long lastSeen = Long.MIN_VALUE;
        long nodeLimit = 0;
        for (Map.Entry<String, Member> e : all.entrySet()) {
            Member m = e.getValue();
            long quiet = time - m.lastMillis;
            if (quiet >= limit(m)) {
                silent.add(e.getKey());
                nodeLimit = Math.max(nodeLimit, limit(m));
                lastStop = Math.max(lastStop, m.lastMillis + interval(m));
                lastSeen = Math.max(lastSeen, m.lastMillis);
            } else if (quiet <= interval(m)) {
                othersAlive = true;
            }
        }
        if (silent.isEmpty()) {
            return;
        }
        String node = ctx.getCurrentKey();
        Member any = all.values().iterator().next();
        if (silent.size() == all.size()) {
            if (nodeDown.value() == null && all.values().stream().anyMatch(m -> m.down == null)) {
                Anomaly a = Tags.node(Anomaly.builder(), any.pod, any.rack, node)
                        .type(AnomalyType.NODE_DOWN).scope(Scope.NODE).entity(node)
                        .startMillis(lastStop).eventMillis(time)
                        .value((time - lastSeen) / 1000.0).threshold(nodeLimit / 1000.0)
                        .fact(Fact.SILENT_S, (time - lastSeen) / 1000.0)
                        .fact(Fact.SILENCE_LIMIT_S, nodeLimit / 1000.0).fact(Fact.CHIPS, all.size())
                        .detail("all " + all.size() + " chips of node " + node + " silent for "
                                + Tags.f1((time - lastSeen) / 1000.0) + " s (limit "
                                + Tags.f1(nodeLimit / 1000.0) + " s)")
                        .affected(new ArrayList<>(all.keySet()))
                        .build();
                nodeDown.update(a);
                out.collect(a);
            }
            return;
        }
        if (!othersAlive) {
            // Some chips silent, the others late: maybe the whole node is going down. Look again shortly.
            ctx.timerService().registerEventTimeTimer(time + interval(any));
            return;
        }
        // Half the node or more silent at once is more likely the node going down chip by chip than as many chips
        // failing together: those chips get one more sample interval, so the node's last chips can stop too.
        boolean mostlySilent = silent.size() * 2 >= all.size();
        boolean waiting = false;
        for (String chip : silent) {
            Member m = all.get(chip);
            if (m.down != null) {
                continue;
            }
            if (mostlySilent && time - m.lastMillis < limit(m) + interval(m)) {
                waiting = true;
                continue;
            }
            boolean witnessed = witnessed(m, all.values());
            if (witnessed && time - m.lastMillis < limit(m) + config.linkWitnessMs()) {
                waiting = true;
                continue;
            }
            long start = m.lastMillis + interval(m);
            double limitS = limit(m) / 1000.0;
            m.down = Anomaly.builder()
                    .tag("pod", m.pod).tag("rack", m.rack).tag("node", node).tag("chip", chip).tag("job", m.job)
                    .type(AnomalyType.CHIP_DOWN).scope(Scope.CHIP).entity(chip)
                    .startMillis(start).eventMillis(time)
                    .value((time - m.lastMillis) / 1000.0).threshold(limitS)
                    .fact(Fact.SILENT_S, (time - m.lastMillis) / 1000.0)
                    .fact(Fact.SILENCE_LIMIT_S, limitS)
                    .detail("chip " + chip + " silent for " + Tags.f1((time - m.lastMillis) / 1000.0)
                            + " s (limit " + Tags.f1(limitS) + " s: " + config.missedSamples()
                            + " samples missed) while its node reports" + (witnessed ? "; its node peers still "
                            + "measure their links to it: its telemetry stopped, the chip may be up" : ""))
                    .build();
            members.put(chip, m);
            out.collect(m.down);
        }
        if (waiting) {
            ctx.timerService().registerEventTimeTimer(time + interval(any));
        }
    }

    /**
     * Whether a node peer that reported after {@code silent}'s last sample measured every intra-node link it ever
     * did, so its link to {@code silent} too: {@code silent} is alive. Never with {@code silence.linkWitnessMs} 0.
     */
    private boolean witnessed(Member silent, Iterable<Member> node) {
        if (config.linkWitnessMs() <= 0) {
            return false;
        }
        for (Member o : node) {
            if (o != silent && o.lastMillis > silent.lastMillis && o.intraLinks > 0 && o.intraLinks >= o.fullLinks) {
                return true;
            }
        }
        return false;
    }

    /** How long the chip must be quiet to be silent: its missed samples at its own interval. */
    private long limit(Member m) {
        return config.limitMs(interval(m));
    }

    private static long interval(Member m) {
        return m.intervalMillis > 0 ? m.intervalMillis : 1000;
    }
}
