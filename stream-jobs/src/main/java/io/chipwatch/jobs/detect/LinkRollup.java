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
 *
 * <p>One exception: an open of an intra-node link whose evidence is only missing readings (ratio 0) is held, not
 * published, until the link's other end opens it too; the anomaly then opens from the held (first) end's event,
 * its start and evidence, at the time the second end's open passes. It is dropped when the holding end closes
 * first. A dead chip (chip_down) reports nothing, while its node peers see their links to it missing, each from
 * its own end only: those are the chip_down's symptoms, not flapping links. A real flap takes the link out of both
 * ends' samples, so both ends open it. Fabric links (the other end is the rack switch, which reports nothing) and
 * opens with a ratio (high or huge latency, seen from one end) open at once, as before.
 */
public class LinkRollup extends KeyedProcessFunction<String, LinkEndEvent, Anomaly> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<OpenLink> state;
    private transient ListState<LinkEndEvent> pending;
    /** A one-ended open held back (an intra link's missing readings), until the other end opens or it closes. */
    private transient ValueState<LinkEndEvent> held;

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
        held = getRuntimeContext().getState(new ValueStateDescriptor<>("held-open", LinkEndEvent.class));
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
        LinkEndEvent first = held.value();
        if (e.open()) {
            if (open == null) {
                if (first == null && holdsBack(e)) {
                    held.update(e);
                    return;
                }
                if (first != null && first.chip().equals(e.chip())) {
                    // The holding end again: it has not closed, and nothing says more than its first open.
                    return;
                }
                LinkEndEvent source = first == null ? e : first;
                open = new OpenLink();
                open.ends = new ArrayList<>();
                open.ends.add(source.chip());
                open.anomaly = anomaly(source);
                out.collect(open.anomaly);
                held.clear();
            }
            if (!open.ends.contains(e.chip())) {
                open.ends.add(e.chip());
            }
            state.update(open);
        } else if (first != null && first.chip().equals(e.chip())) {
            held.clear();
        } else if (open != null && open.ends.remove(e.chip())) {
            if (open.ends.isEmpty()) {
                out.collect(open.anomaly.close(Math.max(e.timestampMillis(), open.anomaly.startMillis())));
                state.clear();
            } else {
                state.update(open);
            }
        }
    }

    /** An open of an intra-node link on missing readings only (ratio 0): it waits for the other end's. */
    private static boolean holdsBack(LinkEndEvent e) {
        return "intra".equals(e.kind()) && e.ratio() == 0;
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
