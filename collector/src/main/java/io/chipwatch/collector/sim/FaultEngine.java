package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.fault.FaultType;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The faults of one {@link ClusterSimulator}: their schedule, their life (pending, active, ended) and the
 * per-entity parameters the physics reads while they are active. Everything runs on the sampling thread at the
 * start of a tick; other threads ({@code POST /faults}) hand over commands through a queue and read an immutable
 * snapshot.
 *
 * <p>The physics of each fault type (GUIDE.md §2), as parameters drawn per fault from the seed:
 * <ul>
 *   <li>overheat: the die heats by 0.5-2 °C/s on top of the model (a cooling fault) up to a ceiling of
 *       100-110 °C; after the end the excess decays with the chip's thermal time constant;</li>
 *   <li>rack_cooling: the rack's inlet air 11-19 °C hotter; every chip follows with its thermal lag;</li>
 *   <li>power_throttle: board power capped at 57-63 % of the chip's maximum, utilisation falling to what that
 *       power allows;</li>
 *   <li>link_degraded: the link's latency ×5 to ×50, read alike at both ends;</li>
 *   <li>link_flap: bursts of 2-5 s every 8-20 s, starting at the onset; each burst either drops the link from
 *       both ends' samples or multiplies its latency by 50-500;</li>
 *   <li>straggler: utilisation 20-40 % lower than the job's (except in communication phases, when everyone
 *       waits);</li>
 *   <li>chip_down, node_down: no samples from the chip(s); the physics runs on, so they come back warm;</li>
 *   <li>stuck_sensor: the temperature reading frozen at its value at the onset;</li>
 *   <li>sensor_glitch: one sample reads 150-180 °C; always exactly one sample long.</li>
 * </ul>
 */
final class FaultEngine {
    private static final Logger LOG = LoggerFactory.getLogger(FaultEngine.class);
    private static final long STREAM_FAULT_PARAMS = -5;
    private static final long STREAM_FAULT_SELECT = -6;
    private static final long STREAM_FLAP = -7;
    private static final int MAX_PAST = 1000;

    static final byte LINK_OK = 0;
    static final byte LINK_HUGE = 1;
    static final byte LINK_MISSING = 2;

    private final Topology topology;
    private final int chipsPerNode;
    private final int[] rackFirstNode;
    private final int[] nodeRack;
    private final Map<String, Integer> nodeIndex;
    private final Map<String, Integer> rackIndex;
    private final Map<String, Integer> linkIndex;
    private final int[] linkChip;
    private final WorkloadModel workload;
    private final long seed;
    private final long intervalMillis;
    private final IntPredicate ownsChip;
    private final Noise noise = new Noise();

    // Parameters the physics reads, per chip / rack / link. Reset and rebuilt whenever the active set changes.
    final boolean[] chipFaulted;
    final int[] silent;
    final double[] straggle;
    final double[] throttleCap;
    final double[] heatRate;
    final double[] heatCeiling;
    final boolean[] stuck;
    final double[] glitchC;
    final double[] inletOffsetC;
    final double[] linkFactor;
    final byte[] linkState;
    final double[] linkHugeFactor;
    boolean anyLinkFault;
    // State the physics keeps under a fault: overheat excess (decays after the end), frozen sensor value.
    final double[] heatExcess;
    final double[] stuckValue;

    private final List<Fault> pending = new ArrayList<>();
    private final List<Fault> active = new ArrayList<>();
    private final ArrayDeque<Fault> past = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Consumer<Long>> commands = new ConcurrentLinkedQueue<>();
    private final BitSet touchedChips = new BitSet();
    private final BitSet touchedRacks = new BitSet();
    private final BitSet touchedLinks = new BitSet();
    private volatile List<FaultStatus> snapshot = List.of();
    private volatile Consumer<? super FaultEvent> listener = e -> { };
    private String idPrefix = "f-";
    private int seq;

    FaultEngine(Topology topology, Map<String, Integer> nodeIndex, Map<String, Integer> rackIndex,
                Map<String, Integer> linkIndex, int[] chipNode, int[] chipRack, WorkloadModel workload, long seed,
                long intervalMillis, IntPredicate ownsChip) {
        this.topology = topology;
        this.chipsPerNode = topology.shape().chipsPerNode();
        this.nodeIndex = nodeIndex;
        this.rackIndex = rackIndex;
        this.linkIndex = linkIndex;
        this.workload = workload;
        this.seed = seed;
        this.intervalMillis = intervalMillis;
        this.ownsChip = ownsChip;
        int chips = topology.chipCount();
        int nodes = nodeIndex.size();
        int racks = rackIndex.size();
        int links = linkIndex.size();
        nodeRack = new int[nodes];
        rackFirstNode = new int[racks + 1];
        Arrays.fill(rackFirstNode, -1);
        for (int c = 0; c < chips; c++) {
            nodeRack[chipNode[c]] = chipRack[c];
            if (rackFirstNode[chipRack[c]] < 0) {
                rackFirstNode[chipRack[c]] = chipNode[c];
            }
        }
        rackFirstNode[racks] = nodes;
        linkChip = new int[links];
        for (Link link : topology.links()) {
            linkChip[linkIndex.get(link.id())] = topology.chip(link.a()).index();
        }
        chipFaulted = new boolean[chips];
        silent = new int[chips];
        straggle = new double[chips];
        throttleCap = new double[chips];
        heatRate = new double[chips];
        heatCeiling = new double[chips];
        stuck = new boolean[chips];
        glitchC = new double[chips];
        heatExcess = new double[chips];
        stuckValue = new double[chips];
        inletOffsetC = new double[racks];
        linkFactor = new double[links];
        linkState = new byte[links];
        linkHugeFactor = new double[links];
        Arrays.fill(straggle, 1.0);
        Arrays.fill(glitchC, Double.NaN);
        Arrays.fill(stuckValue, Double.NaN);
        Arrays.fill(linkFactor, 1.0);
    }

    /** One fault's life. Mutated on the sampling thread only. */
    private static final class Fault {
        final String id;
        final int seq;
        final FaultRequest request;
        final String source;
        final CompletableFuture<FaultStatus> started = new CompletableFuture<>();
        FaultStatus.State state = FaultStatus.State.PENDING;
        String target;
        int index = -1;
        Long onset;
        Long end;
        String detail = "";
        double p1;
        double p2;

        Fault(String id, int seq, FaultRequest request, String source) {
            this.id = id;
            this.seq = seq;
            this.request = request;
            this.source = source;
            this.target = request.target();
        }

        FaultType type() {
            return request.type();
        }

        FaultStatus status() {
            return new FaultStatus(id, type(), target, type().scope(), state, source,
                    request.atMillis() == FaultRequest.NOW ? null : request.atMillis(), onset, end,
                    request.durationMillis(), detail);
        }
    }

    void listener(Consumer<? super FaultEvent> listener) {
        this.listener = listener == null ? e -> { } : listener;
    }

    /** Prefix of the ids given from now on, e.g. {@code f-} gives {@code f-0001}. */
    void idPrefix(String prefix) {
        this.idPrefix = prefix;
    }

    /**
     * Checks that a request names an entity of the right scope or a selector of that scope.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    void validate(FaultRequest r) {
        FaultScope scope = r.type().scope();
        String target = r.target();
        if (TargetSelector.isSelector(target)) {
            TargetSelector s = TargetSelector.parse(target);
            if (s.scope() != scope) {
                throw new IllegalArgumentException("selector '" + target + "' picks a " + s.scope().label() + " but "
                        + r.type().label() + " targets a " + scope.label());
            }
            return;
        }
        if (indexOf(scope, target) < 0) {
            throw new IllegalArgumentException(r.type().label() + " targets a " + scope.label() + ", and there is no "
                    + scope.label() + " '" + target + "' in this " + topology.chipCount() + "-chip cluster"
                    + example(scope));
        }
    }

    private String example(FaultScope scope) {
        Chip c = topology.chips().get(0);
        String e = switch (scope) {
            case CHIP -> c.id();
            case NODE -> c.node();
            case RACK -> c.rack();
            case LINK -> c.links().get(0).id();
        };
        return " (e.g. " + e + ", or a selector like random-" + scope.label() + ")";
    }

    private int indexOf(FaultScope scope, String id) {
        Integer i = switch (scope) {
            case CHIP -> {
                Chip c = topology.chip(id);
                yield c == null ? null : c.index();
            }
            case NODE -> nodeIndex.get(id);
            case RACK -> rackIndex.get(id);
            case LINK -> linkIndex.get(id);
        };
        return i == null ? -1 : i;
    }

    /** Adds a fault to the schedule; call on the sampling thread (or before the first tick). */
    String schedule(FaultRequest r, String source) {
        validate(r);
        Fault f = newFault(r, source);
        addPending(f);
        publishSnapshot();
        return f.id;
    }

    private Fault newFault(FaultRequest r, String source) {
        seq++;
        return new Fault(String.format(Locale.ROOT, "%s%04d", idPrefix, seq), seq, r, source);
    }

    private void addPending(Fault f) {
        pending.add(f);
        // Stable: same instant keeps the order of scheduling.
        pending.sort(Comparator.comparingLong(x -> x.request.atMillis()));
    }

    /**
     * Injects a fault from any thread: validated now, started at the next tick.
     *
     * @return completes with the fault's status once it started (or was skipped)
     * @throws IllegalArgumentException when the request is invalid
     */
    CompletableFuture<FaultStatus> inject(FaultRequest r, String source) {
        validate(r);
        CompletableFuture<FaultStatus> result = new CompletableFuture<>();
        commands.add(now -> {
            Fault f = newFault(r, source);
            f.started.whenComplete((s, e) -> result.complete(s));
            addPending(f);
        });
        return result;
    }

    /** Clears every active and pending fault at the next tick, from any thread; completes with the cleared ones. */
    CompletableFuture<List<FaultStatus>> clear() {
        CompletableFuture<List<FaultStatus>> result = new CompletableFuture<>();
        commands.add(now -> {
            List<FaultStatus> cleared = new ArrayList<>();
            for (Fault f : active) {
                f.state = FaultStatus.State.CLEARED;
                f.end = now;
                emit(f, FaultEvent.Phase.END);
                retire(f);
                cleared.add(f.status());
            }
            active.clear();
            for (Fault f : pending) {
                f.state = FaultStatus.State.CLEARED;
                retire(f);
                cleared.add(f.status());
                f.started.complete(f.status());
            }
            pending.clear();
            rebuild();
            result.complete(cleared);
        });
        return result;
    }

    /** Active, pending and past faults (the last 1000), oldest first; from any thread. */
    List<FaultStatus> faults() {
        return snapshot;
    }

    boolean hasActive() {
        return !active.isEmpty();
    }

    /** Moves the faults to {@code now}: commands, ends, onsets, and this tick's link flaps. */
    void advanceTo(long now) {
        boolean changed = false;
        for (Consumer<Long> c; (c = commands.poll()) != null; ) {
            c.accept(now);
            changed = true;
        }
        for (Iterator<Fault> it = active.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.end != null && f.end <= now) {
                it.remove();
                f.state = FaultStatus.State.ENDED;
                f.end = now;
                emit(f, FaultEvent.Phase.END);
                retire(f);
                changed = true;
            }
        }
        for (Iterator<Fault> it = pending.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            long at = f.request.atMillis();
            if (at != FaultRequest.NOW && at > now) {
                break;
            }
            it.remove();
            changed = true;
            if (!resolve(f)) {
                f.state = FaultStatus.State.SKIPPED;
                f.detail = "no " + f.type().scope().label() + " matched " + f.request.target();
                LOG.warn("fault {} ({} on {}) skipped: {}", f.id, f.type().label(), f.request.target(), f.detail);
                retire(f);
                f.started.complete(f.status());
                continue;
            }
            start(f, now);
            active.add(f);
            emit(f, FaultEvent.Phase.ONSET);
            f.started.complete(f.status());
        }
        if (changed) {
            rebuild();
            publishSnapshot();
        }
        if (anyLinkFault) {
            flaps(now);
        }
    }

    private void retire(Fault f) {
        past.addLast(f);
        while (past.size() > MAX_PAST) {
            past.removeFirst();
        }
    }

    private void emit(Fault f, FaultEvent.Phase phase) {
        if (ownsChip.test(anchorChip(f))) {
            try {
                listener.accept(new FaultEvent(f.id, f.type(), f.target, f.type().scope(), f.onset, f.end, phase));
            } catch (RuntimeException e) {
                LOG.warn("fault event listener failed on {} {}: {}", f.id, phase.label(), e.toString());
            }
        }
    }

    /** The chip whose shard reports a fault's ground truth, so that exactly one collector publishes it. */
    private int anchorChip(Fault f) {
        return anchorChip(f.type().scope(), f.index);
    }

    private int anchorChip(FaultScope scope, int index) {
        return switch (scope) {
            case CHIP -> index;
            case NODE -> index * chipsPerNode;
            case RACK -> rackFirstNode[index] * chipsPerNode;
            case LINK -> linkChip[index];
        };
    }

    /**
     * Whether this shard owns the request's target (a named entity whose anchor chip it samples; a selector
     * always, as a live selector picks among this shard's entities).
     */
    boolean owns(FaultRequest r) {
        if (TargetSelector.isSelector(r.target())) {
            return true;
        }
        int index = indexOf(r.type().scope(), r.target());
        return index >= 0 && ownsChip.test(anchorChip(r.type().scope(), index));
    }

    private void start(Fault f, long now) {
        f.state = FaultStatus.State.ACTIVE;
        f.onset = now;
        if (f.type() == FaultType.SENSOR_GLITCH) {
            f.end = now + intervalMillis;
        } else {
            f.end = f.request.durationMillis() > 0 ? now + f.request.durationMillis() : null;
        }
        noise.reset(seed, STREAM_FAULT_PARAMS, f.seq);
        switch (f.type()) {
            case OVERHEAT -> {
                f.p1 = noise.uniform(0.5, 2.0);
                f.p2 = noise.uniform(100, 110);
                heatExcess[f.index] = Math.max(heatExcess[f.index], 0.0);
                f.detail = String.format(Locale.ROOT, "+%.2f C/s up to %.1f C", f.p1, f.p2);
            }
            case RACK_COOLING -> {
                f.p1 = noise.uniform(11, 19);
                f.detail = String.format(Locale.ROOT, "inlet +%.1f C", f.p1);
            }
            case POWER_THROTTLE -> {
                f.p1 = noise.uniform(0.57, 0.63);
                f.detail = String.format(Locale.ROOT, "power cap %.0f%% of max", 100 * f.p1);
            }
            case LINK_DEGRADED -> {
                f.p1 = noise.uniform(5, 50);
                f.detail = String.format(Locale.ROOT, "latency x%.1f", f.p1);
            }
            case LINK_FLAP -> {
                f.p1 = Math.round(noise.uniform(8_000, 20_000));
                f.p2 = Math.round(noise.uniform(2_000, 5_000));
                f.detail = String.format(Locale.ROOT, "bursts of %.1f s every %.1f s", f.p2 / 1000, f.p1 / 1000);
            }
            case STRAGGLER -> {
                f.p1 = noise.uniform(0.20, 0.40);
                f.detail = String.format(Locale.ROOT, "utilisation -%.0f%%", 100 * f.p1);
            }
            case STUCK_SENSOR -> {
                stuckValue[f.index] = Double.NaN;
                f.detail = "temperature frozen";
            }
            case SENSOR_GLITCH -> {
                f.p1 = 150 + Math.round(noise.uniform(0, 30) * 10) / 10.0;
                f.detail = String.format(Locale.ROOT, "one sample of %.1f C", f.p1);
            }
            case CHIP_DOWN, NODE_DOWN -> f.detail = "silent";
        }
        LOG.info("fault {} started: {} on {} ({}){}", f.id, f.type().label(), f.target, f.detail,
                f.end == null ? "" : ", until " + f.end);
    }

    /** Resets the parameters of everything the faults touched, then applies every active fault again. */
    private void rebuild() {
        for (int c = touchedChips.nextSetBit(0); c >= 0; c = touchedChips.nextSetBit(c + 1)) {
            chipFaulted[c] = false;
            silent[c] = 0;
            straggle[c] = 1.0;
            throttleCap[c] = 0;
            heatRate[c] = 0;
            stuck[c] = false;
            glitchC[c] = Double.NaN;
        }
        for (int r = touchedRacks.nextSetBit(0); r >= 0; r = touchedRacks.nextSetBit(r + 1)) {
            inletOffsetC[r] = 0;
        }
        for (int l = touchedLinks.nextSetBit(0); l >= 0; l = touchedLinks.nextSetBit(l + 1)) {
            linkFactor[l] = 1.0;
            linkState[l] = LINK_OK;
        }
        touchedChips.clear();
        touchedRacks.clear();
        touchedLinks.clear();
        anyLinkFault = false;
        for (Fault f : active) {
            int i = f.index;
            switch (f.type()) {
                case OVERHEAT -> {
                    heatRate[i] = f.p1;
                    heatCeiling[i] = f.p2;
                    chip(i);
                }
                case RACK_COOLING -> {
                    inletOffsetC[i] = f.p1;
                    touchedRacks.set(i);
                }
                case POWER_THROTTLE -> {
                    throttleCap[i] = f.p1;
                    chip(i);
                }
                case STRAGGLER -> {
                    straggle[i] = 1.0 - f.p1;
                    chip(i);
                }
                case CHIP_DOWN -> {
                    silent[i]++;
                    chip(i);
                }
                case NODE_DOWN -> {
                    for (int c = i * chipsPerNode; c < (i + 1) * chipsPerNode; c++) {
                        silent[c]++;
                        chip(c);
                    }
                }
                case STUCK_SENSOR -> {
                    stuck[i] = true;
                    chip(i);
                }
                case SENSOR_GLITCH -> {
                    glitchC[i] = f.p1;
                    chip(i);
                }
                case LINK_DEGRADED -> {
                    linkFactor[i] = f.p1;
                    touchedLinks.set(i);
                    anyLinkFault = true;
                }
                case LINK_FLAP -> {
                    touchedLinks.set(i);
                    anyLinkFault = true;
                }
            }
        }
    }

    private void chip(int c) {
        chipFaulted[c] = true;
        touchedChips.set(c);
    }

    /** This tick's state of every flapping link: a burst at the start of each cycle, missing or huge. */
    private void flaps(long now) {
        for (Fault f : active) {
            if (f.type() != FaultType.LINK_FLAP) {
                continue;
            }
            long elapsed = now - f.onset;
            long cycle = (long) f.p1;
            long burst = elapsed / cycle;
            if (elapsed % cycle >= (long) f.p2) {
                linkState[f.index] = LINK_OK;
                continue;
            }
            noise.reset(seed, STREAM_FLAP, f.seq * 1_000_003L + burst);
            if (noise.uniform() < 0.5) {
                linkState[f.index] = LINK_MISSING;
            } else {
                linkState[f.index] = LINK_HUGE;
                linkHugeFactor[f.index] = noise.uniform(50, 500);
            }
        }
    }

    private void publishSnapshot() {
        List<FaultStatus> list = new ArrayList<>(past.size() + active.size() + pending.size());
        for (Fault f : past) {
            list.add(f.status());
        }
        for (Fault f : active) {
            list.add(f.status());
        }
        for (Fault f : pending) {
            list.add(f.status());
        }
        snapshot = List.copyOf(list);
    }

    // ---- Resolving targets ----

    private boolean resolve(Fault f) {
        FaultScope scope = f.type().scope();
        String target = f.request.target();
        if (!TargetSelector.isSelector(target)) {
            f.index = indexOf(scope, target);
            f.target = target;
            return f.index >= 0;
        }
        TargetSelector sel = TargetSelector.parse(target);
        noise.reset(seed, STREAM_FAULT_SELECT, f.seq);
        BitSet occupied = occupiedNodes();
        // A live fault lands on this shard's chips: the other collectors do not know about it.
        boolean ownedOnly = f.source.equals("live");
        int index = pick(sel, occupied, ownedOnly);
        if (index < 0) {
            index = pick(sel, new BitSet(), ownedOnly);
        }
        if (index < 0) {
            return false;
        }
        f.index = index;
        f.target = switch (scope) {
            case CHIP -> topology.chips().get(index).id();
            case NODE -> topology.chips().get(index * chipsPerNode).node();
            case RACK -> topology.chips().get(rackFirstNode[index] * chipsPerNode).rack();
            case LINK -> topology.links().get(index).id();
        };
        return true;
    }

    /** Nodes that an active fault touches. */
    private BitSet occupiedNodes() {
        BitSet nodes = new BitSet();
        for (Fault f : active) {
            switch (f.type().scope()) {
                case CHIP -> nodes.set(f.index / chipsPerNode);
                case NODE -> nodes.set(f.index);
                case RACK -> nodes.set(rackFirstNode[f.index], rackFirstNode[f.index + 1]);
                case LINK -> nodes.set(linkChip[f.index] / chipsPerNode);
            }
        }
        return nodes;
    }

    private boolean nodeMatches(TargetSelector.Filter filter, int n) {
        if (filter == null) {
            return true;
        }
        Job job = workload.jobOf(n);
        return switch (filter) {
            case BUSY -> job != null;
            case IDLE -> job == null;
            case TRAINING -> job != null && job.kind() == JobKind.TRAINING;
        };
    }

    private int pick(TargetSelector sel, BitSet occupied, boolean ownedOnly) {
        int nodes = nodeRack.length;
        if (sel.scope() == FaultScope.RACK) {
            List<Integer> racks = new ArrayList<>();
            for (int r = 0; r + 1 < rackFirstNode.length; r++) {
                boolean match = false;
                boolean free = !ownedOnly || ownsChip.test(rackFirstNode[r] * chipsPerNode);
                for (int n = rackFirstNode[r]; n < rackFirstNode[r + 1]; n++) {
                    match |= nodeMatches(sel.filter(), n);
                    free &= !occupied.get(n);
                }
                if (match && free) {
                    racks.add(r);
                }
            }
            return racks.isEmpty() ? -1 : racks.get((int) (noise.uniform() * racks.size()));
        }
        int[] candidates = new int[nodes];
        int count = 0;
        for (int n = 0; n < nodes; n++) {
            if (!occupied.get(n) && nodeMatches(sel.filter(), n) && (!ownedOnly || ownsChip.test(n * chipsPerNode))) {
                candidates[count++] = n;
            }
        }
        if (count == 0) {
            return -1;
        }
        int node = candidates[(int) (noise.uniform() * count)];
        int chipInNode = (int) (noise.uniform() * chipsPerNode);
        int chip = node * chipsPerNode + chipInNode;
        return switch (sel.scope()) {
            case NODE -> node;
            case CHIP -> chip;
            case LINK -> {
                // The chip's links, or (for intra) the links it is the first end of plus the others it joins.
                List<Link> links = new ArrayList<>();
                for (Link l : topology.chips().get(chip).links()) {
                    if (sel.kind() == null || l.kind() == sel.kind()) {
                        links.add(l);
                    }
                }
                yield linkIndex.get(links.get((int) (noise.uniform() * links.size())).id());
            }
            case RACK -> throw new AssertionError();
        };
    }
}
