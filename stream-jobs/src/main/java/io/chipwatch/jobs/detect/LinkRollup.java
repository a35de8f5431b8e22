package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.LinkEndEvent;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Root cause by topology for links, keyed by link: both ends of a link see its fault, and
 * {@link LinkLatencyDetector} reports it from each; this makes ONE link anomaly of them. It opens with the first
 * end that reports (its type and evidence), lists both ends of the link as affected, and closes when every end
 * that reported has closed; its facts are the first end's (ratio, baseline, the latency they make, and the
 * verdict's own). The ends' events are taken in event-time order, as the watermark passes them.
 */
public class LinkRollup extends KeyedProcessFunction<String, LinkEndEvent, Anomaly> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<OpenLink> state;
    private transient ListState<LinkEndEvent> pending;

    /** The open anomaly of a link and the ends that hold it open; a Flink POJO. */
    public static final class OpenLink {
        public Anomaly anomaly;
        public List<String> ends;

        public OpenLink() {
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("open-link", OpenLink.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-ends", LinkEndEvent.class));
    }

    @Override
    public void processElement(LinkEndEvent e, Context ctx, Collector<Anomaly> out) throws Exception {
        // The two ends are judged on different subtasks, possibly far apart in event time (a replay reads
        // partitions at different paces): take their events in time order, as the watermark passes them.
        pending.add(e);
        ctx.timerService().registerEventTimeTimer(e.timestampMillis());
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        List<LinkEndEvent> due = new ArrayList<>();
        List<LinkEndEvent> keep = new ArrayList<>();
        for (LinkEndEvent e : pending.get()) {
            (e.timestampMillis() <= time ? due : keep).add(e);
        }
        pending.update(keep);
        due.sort(Comparator.comparingLong(LinkEndEvent::timestampMillis));
        for (LinkEndEvent e : due) {
            apply(e, out);
        }
    }

    private void apply(LinkEndEvent e, Collector<Anomaly> out) throws Exception {
        OpenLink open = state.value();
        if (e.open()) {
            if (open == null) {
                open = new OpenLink();
                open.ends = new ArrayList<>();
                open.anomaly = anomaly(e);
                out.collect(open.anomaly);
            }
            if (!open.ends.contains(e.chip())) {
                open.ends.add(e.chip());
            }
            state.update(open);
        } else if (open != null && open.ends.remove(e.chip())) {
            if (open.ends.isEmpty()) {
                out.collect(open.anomaly.close(Math.max(e.timestampMillis(), open.anomaly.startMillis())));
                state.clear();
            } else {
                state.update(open);
            }
        }
    }

    private static Anomaly anomaly(LinkEndEvent e) {
        // The link's first end is a chip; for a fabric link the other end is the rack switch.
        boolean fabric = "fabric".equals(e.kind());
        String a = fabric || e.chip().compareTo(e.peer()) < 0 ? e.chip() : e.peer();
        String b = a.equals(e.chip()) ? e.peer() : e.chip();
        AnomalyType type = AnomalyType.valueOf(e.type());
        Anomaly.Builder anomaly = Anomaly.builder()
                .type(type).scope(Scope.LINK).entity(e.link())
                .tag("pod", e.pod()).tag("rack", e.rack()).tag("node", e.node())
                .tag("link", e.link()).tag("chip", a).tag("peer", b)
                .startMillis(e.timestampMillis()).eventMillis(e.timestampMillis())
                .value(e.ratio()).threshold(Double.NaN)
                .fact(Fact.BASELINE_US, e.baselineUs())
                .fact(Fact.RATIO, e.ratio() > 0 ? e.ratio() : Double.NaN)
                .fact(Fact.LATENCY_US, e.ratio() > 0 ? e.ratio() * e.baselineUs() : Double.NaN)
                .detail((type == AnomalyType.LINK_FLAP ? "flapping " : "degraded ") + e.kind() + " link "
                        + e.link() + ", " + e.detail())
                .affected(List.of(a, b));
        e.facts().forEach((key, value) -> Fact.fromKey(key).ifPresent(f -> anomaly.fact(f, value)));
        return anomaly.build();
    }
}
