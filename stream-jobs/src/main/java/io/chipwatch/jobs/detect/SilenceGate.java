package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.NodeMembers;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells a fleet's silence from a chip's: the {@link SilenceDetector}'s chip_down and node_down events (first input)
 * pass through here, one instance for the whole fleet (keyed by {@link #FLEET}), which knows the fleet's size from
 * the nodes' member counts (second input, {@link SilenceDetector#MEMBERS}).
 *
 * <p>The rule: silence events are taken in event time, a batch at a time (everything the watermark has passed when
 * it moves). When the chips newly silent in one batch are at least {@code silence.massFraction} of the fleet (and
 * at least {@code silence.massMinChips}), they fell silent together: the telemetry path stopped (the collector or
 * the stack restarted, a Kafka partition went silent), not the chips. Why one batch is "together": when every
 * sample stops, event time stops; when a partition stops, it holds the watermark back until it is idle. Either way
 * the chips' silence timeouts all pass in one step of the watermark, when the stream resumes or the partition is
 * given up. Then ONE {@link AnomalyType#TELEMETRY_SILENT} anomaly opens, naming the source (the samples topic), and
 * the chip_down and node_down events are absorbed (neither their opening nor their closing is published). While it
 * is open, every new silence is absorbed too.
 *
 * <p>It closes when the chips still silent are fewer than the threshold again (the stream resumed). A chip or node
 * that stays silent for its silence limit after that is down for real: its absorbed anomaly is published then,
 * with its original start, and closes as usual when it reports.
 *
 * <p>When the stream resumes but too many chips stay silent (the fleet shrank: a collector restarted with fewer
 * chips), those still silent {@code silence.forgetAfterMs} after it resumed are dropped without a page, and the
 * outage closes: it must not stay open forever, absorbing every later chip_down and node_down.
 *
 * <p>A stream that resumes after a gap therefore raises no chip or node anomaly for the gap; a node that stops while
 * the rest of the fleet reports is a node_down as before (its batch is one node, far under the threshold).
 */
public class SilenceGate extends KeyedCoProcessFunction<String, Anomaly, NodeMembers, Anomaly> {
    private static final long serialVersionUID = 1L;

    /** The one key every input is keyed by. */
    public static final String FLEET = "fleet";

    private final DetectionConfig.Silence config;
    private final String source;
    private transient MapState<String, Integer> members;
    private transient ListState<Anomaly> pending;
    private transient MapState<String, Anomaly> absorbed;
    private transient ValueState<Anomaly> outage;
    private transient ValueState<Long> releaseAt;
    private transient ValueState<Long> resumedAt;

    /**
     * @param config the silence thresholds
     * @param source what a telemetry_silent anomaly names as its entity: the samples topic
     */
    public SilenceGate(DetectionConfig.Silence config, String source) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public void open(OpenContext openContext) {
        members = getRuntimeContext().getMapState(new MapStateDescriptor<>("members", StringKeySerializer.KEY_TYPE,
                Types.INT));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", Anomaly.class));
        absorbed = getRuntimeContext().getMapState(new MapStateDescriptor<>("absorbed", StringKeySerializer.KEY_TYPE,
                TypeInformation.of(Anomaly.class)));
        outage = getRuntimeContext().getState(new ValueStateDescriptor<>("outage", Anomaly.class));
        releaseAt = getRuntimeContext().getState(new ValueStateDescriptor<>("release-at", Types.LONG));
        resumedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("resumed-at", Types.LONG));
    }

    @Override
    public void processElement1(Anomaly a, Context ctx, Collector<Anomaly> out) throws Exception {
        pending.add(a);
        ctx.timerService().registerEventTimeTimer(a.eventMillis());
    }

    @Override
    public void processElement2(NodeMembers m, Context ctx, Collector<Anomaly> out) throws Exception {
        if (m.chips() == 0) {
            members.remove(m.node());
        } else {
            members.put(m.node(), m.chips());
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        Long release = releaseAt.value();
        if (release != null && time >= release) {
            releaseAt.clear();
            if (outage.value() == null) {
                release(time, out);
            }
        }
        Long resumed = resumedAt.value();
        if (resumed != null && time >= resumed + config.forgetAfterMs()) {
            forgetGone(resumed, out);
        }
        long upTo = Math.max(time, ctx.timerService().currentWatermark());
        List<Anomaly> batch = new ArrayList<>();
        List<Anomaly> keep = new ArrayList<>();
        for (Anomaly a : pending.get()) {
            (a.eventMillis() <= upTo ? batch : keep).add(a);
        }
        if (batch.isEmpty()) {
            return;
        }
        pending.update(keep);
        batch.sort(Comparator.comparingLong(Anomaly::eventMillis));
        int threshold = threshold();
        int newlySilent = silentChips(batch.stream().filter(Anomaly::isOpen).toList());
        Anomaly open = outage.value();
        if (open == null && newlySilent >= threshold) {
            long start = batch.stream().filter(Anomaly::isOpen).mapToLong(Anomaly::startMillis).min().orElse(time);
            open = Anomaly.builder()
                    .type(AnomalyType.TELEMETRY_SILENT).scope(Scope.SOURCE).entity(source)
                    .startMillis(start).eventMillis(time)
                    .value(newlySilent).threshold(threshold)
                    .fact(Fact.SILENT_S, (time - start) / 1000.0)
                    .fact(Fact.SILENCE_LIMIT_S, limitS(batch))
                    .fact(Fact.CHIPS, newlySilent)
                    .detail(newlySilent + " of " + fleet() + " chips fell silent at once (silence limit "
                            + Tags.f1(limitS(batch)) + " s): the telemetry path from " + source
                            + " stopped (collector, Kafka partition or a restart), not the chips; their chip_down "
                            + "and node_down are held back")
                    .build();
            outage.update(open);
            out.collect(open);
        }
        long lastClose = Long.MIN_VALUE;
        for (Anomaly a : batch) {
            if (a.isOpen()) {
                if (open != null) {
                    absorbed.put(a.id(), a);
                } else {
                    out.collect(a);
                }
            } else if (absorbed.contains(a.id())) {
                absorbed.remove(a.id());
                lastClose = Math.max(lastClose, a.eventMillis());
            } else {
                out.collect(a);
            }
        }
        if (open != null && lastClose != Long.MIN_VALUE) {
            if (stillSilent() < threshold) {
                out.collect(open.close(Math.max(lastClose, open.startMillis())));
                outage.clear();
                resumedAt.clear();
                long at = lastClose + (long) (limitS(absorbed.values()) * 1000);
                releaseAt.update(at);
                ctx.timerService().registerEventTimeTimer(at);
            } else if (resumedAt.value() == null) {
                // The stream is back but too many chips are still silent: a fleet that shrank (a collector started
                // with fewer chips, nodes removed) rather than an outage. Look again when those are forgotten.
                resumedAt.update(lastClose);
                ctx.timerService().registerEventTimeTimer(lastClose + config.forgetAfterMs());
            }
        }
    }

    /**
     * The stream resumed at {@code resumed} and {@code silence.forgetAfterMs} later chips silent since before that
     * are still silent: they left the fleet (their node no longer counts them either), they did not fail during the
     * outage. They are dropped without a page, and the outage closes (at {@code resumed}) once the chips still
     * silent are under the threshold; otherwise, a telemetry_silent open forever would absorb every later chip_down
     * and node_down.
     */
    private void forgetGone(long resumed, Collector<Anomaly> out) throws Exception {
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, Anomaly> e : absorbed.entries()) {
            if (e.getValue().startMillis() <= resumed) {
                gone.add(e.getKey());
            }
        }
        for (String id : gone) {
            absorbed.remove(id);
        }
        resumedAt.clear();
        Anomaly open = outage.value();
        if (open != null && stillSilent() < threshold()) {
            out.collect(open.close(Math.max(resumed, open.startMillis())));
            outage.clear();
            // What fell silent while the outage was wrongly open is down for real, and has been for a while.
            release(resumed + config.forgetAfterMs(), out);
        }
    }

    /** Publishes the silences still absorbed after the stream resumed: those chips and nodes are really down. */
    private void release(long time, Collector<Anomaly> out) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, Anomaly> e : absorbed.entries()) {
            Anomaly a = e.getValue();
            out.collect(new Anomaly(a.id(), a.type(), a.severity(), a.scope(), a.entity(), a.tags(),
                    AnomalyState.OPEN, a.startMillis(), null, time, a.value(), a.threshold(), a.detail(),
                    a.affected(), a.facts()));
            ids.add(e.getKey());
        }
        for (String id : ids) {
            absorbed.remove(id);
        }
    }

    /** The longest silence limit of some silence events (they carry it as a fact): how long "still silent" takes. */
    private static double limitS(Iterable<Anomaly> events) {
        double limit = 0;
        for (Anomaly a : events) {
            limit = Math.max(limit, a.fact(Fact.SILENCE_LIMIT_S).orElse(0));
        }
        return limit;
    }

    /**
     * The distinct chips of some silence events: a node_down's affected chips, a chip_down's chip. A chip that went
     * silent a moment before its node is in both events and counts once.
     */
    static int silentChips(Iterable<Anomaly> events) {
        Set<String> chips = new HashSet<>();
        for (Anomaly a : events) {
            if (a.type() == AnomalyType.NODE_DOWN && !a.affected().isEmpty()) {
                chips.addAll(a.affected());
            } else {
                chips.add(a.type() == AnomalyType.NODE_DOWN ? "node:" + a.entity() : a.entity());
            }
        }
        return chips.size();
    }

    private int stillSilent() throws Exception {
        return silentChips(absorbed.values());
    }

    private int fleet() throws Exception {
        int n = 0;
        for (Integer chips : members.values()) {
            n += chips;
        }
        return n;
    }

    /** Silent chips in one batch that make it the telemetry path's silence; never reached while the fleet is unknown. */
    private int threshold() throws Exception {
        int fleet = fleet();
        if (fleet == 0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(config.massMinChips(), (int) Math.ceil(config.massFraction() * fleet));
    }
}
