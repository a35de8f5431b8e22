package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.fault.FaultType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The faults of one {@link ClusterSimulator}: their schedule, their life (pending, active, ended), their ground
 * truth, and the {@link FaultEffects} the physics reads while they are active. Everything runs on the sampling
 * thread at the start of a tick; other threads ({@code POST /faults}) hand over commands through a queue and read
 * an immutable snapshot.
 *
 * <p>What each fault type does, and its parameters drawn per fault from the seed, is its {@link Fault}; which
 * entity it lands on is {@link FaultTargets}' business.
 */
final class FaultEngine {
    private static final Logger LOG = LoggerFactory.getLogger(FaultEngine.class);
    private static final long STREAM_FAULT_PARAMS = -5;
    private static final long STREAM_FAULT_SELECT = -6;
    private static final long STREAM_FLAP = -7;
    private static final int MAX_PAST = 1000;

    private final FaultTargets targets;
    private final FaultEffects effects;
    private final long seed;
    private final long intervalMillis;
    private final Noise noise = new Noise();

    private final List<Life> pending = new ArrayList<>();
    private final List<Life> active = new ArrayList<>();
    private final ArrayDeque<Life> past = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Consumer<Long>> commands = new ConcurrentLinkedQueue<>();
    private volatile List<FaultStatus> snapshot = List.of();
    private volatile Consumer<? super FaultEvent> listener = e -> { };
    private StampOffsets stampOffsets = (scope, index) -> 0L;
    private String idPrefix = "f-";
    private int seq;

    FaultEngine(FaultTargets targets, FaultEffects effects, long seed, long intervalMillis) {
        this.targets = targets;
        this.effects = effects;
        this.seed = seed;
        this.intervalMillis = intervalMillis;
    }

    /** One fault's life. Mutated on the sampling thread only. */
    private static final class Life {
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
        /** Its parameters and effect, from the onset on. */
        Fault fault;
        /** The noise of its bursts (link flaps), from the onset on. */
        Fault.BurstNoise burstNoise;

        Life(String id, int seq, FaultRequest request, String source) {
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

    /** The per-entity effects of the active faults, as the physics reads them. */
    FaultEffects effects() {
        return effects;
    }

    /**
     * How far the clock that stamps a target's samples is off (a node's clock, {@link Transport}): the ground
     * truth's onset and end are the timestamps of the first affected and first unaffected sample, as stamped.
     */
    @FunctionalInterface
    interface StampOffsets {
        long offsetMillis(FaultScope scope, int index);
    }

    void stampOffsets(StampOffsets offsets) {
        this.stampOffsets = offsets;
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
        targets.validate(r);
    }

    /** Adds a fault to the schedule; call on the sampling thread (or before the first tick). */
    String schedule(FaultRequest r, String source) {
        validate(r);
        Life f = newFault(r, source);
        addPending(f);
        publishSnapshot();
        return f.id;
    }

    private Life newFault(FaultRequest r, String source) {
        seq++;
        return new Life(String.format(Locale.ROOT, "%s%04d", idPrefix, seq), seq, r, source);
    }

    private void addPending(Life f) {
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
            Life f = newFault(r, source);
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
            for (Life f : active) {
                f.state = FaultStatus.State.CLEARED;
                f.end = now;
                emit(f, FaultEvent.Phase.END);
                retire(f);
                cleared.add(f.status());
            }
            active.clear();
            for (Life f : pending) {
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
        for (Iterator<Life> it = active.iterator(); it.hasNext(); ) {
            Life f = it.next();
            if (f.end != null && f.end <= now) {
                it.remove();
                f.state = FaultStatus.State.ENDED;
                f.end = now;
                emit(f, FaultEvent.Phase.END);
                retire(f);
                changed = true;
            }
        }
        for (Iterator<Life> it = pending.iterator(); it.hasNext(); ) {
            Life f = it.next();
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
        if (effects.anyLinkFault()) {
            tick(now);
        }
    }

    private void retire(Life f) {
        past.addLast(f);
        while (past.size() > MAX_PAST) {
            past.removeFirst();
        }
    }

    private void emit(Life f, FaultEvent.Phase phase) {
        if (targets.ownsAnchor(f.type().scope(), f.index)) {
            try {
                long offset = stampOffsets.offsetMillis(f.type().scope(), f.index);
                listener.accept(new FaultEvent(f.id, f.type(), f.target, f.type().scope(), f.onset + offset,
                        f.end == null ? null : f.end + offset, phase));
            } catch (RuntimeException e) {
                LOG.warn("fault event listener failed on {} {}: {}", f.id, phase.label(), e.toString());
            }
        }
    }

    /**
     * Whether this shard owns the request's target (a named entity whose anchor chip it samples; a selector
     * always, as a live selector picks among this shard's entities).
     */
    boolean owns(FaultRequest r) {
        return targets.owns(r);
    }

    private void start(Life f, long now) {
        f.state = FaultStatus.State.ACTIVE;
        f.onset = now;
        f.fault = Fault.draw(f.type(), noise.reset(seed, STREAM_FAULT_PARAMS, f.seq));
        if (f.fault.oneSample()) {
            f.end = now + intervalMillis;
        } else {
            f.end = f.request.durationMillis() > 0 ? now + f.request.durationMillis() : null;
        }
        f.detail = f.fault.detail();
        long flapKey = f.seq * 1_000_003L;
        f.burstNoise = burst -> noise.reset(seed, STREAM_FLAP, flapKey + burst);
        f.fault.onset(f.index, effects);
        LOG.info("fault {} started: {} on {} ({}){}", f.id, f.type().label(), f.target, f.detail,
                f.end == null ? "" : ", until " + f.end);
    }

    /** Forgets the effects of the faults, then registers every active fault's again. */
    private void rebuild() {
        effects.reset();
        for (Life f : active) {
            f.fault.applyTo(f.index, effects);
        }
    }

    /** Moves the active faults' effects to this tick (a flapping link's bursts). */
    private void tick(long now) {
        for (int i = 0; i < active.size(); i++) {
            Life f = active.get(i);
            f.fault.tick(f.index, now - f.onset, f.burstNoise, effects);
        }
    }

    private void publishSnapshot() {
        List<FaultStatus> list = new ArrayList<>(past.size() + active.size() + pending.size());
        for (Life f : past) {
            list.add(f.status());
        }
        for (Life f : active) {
            list.add(f.status());
        }
        for (Life f : pending) {
            list.add(f.status());
        }
        snapshot = List.copyOf(list);
    }

    /** Finds the fault's entity: its named target, or the one its selector picks now. */
    private boolean resolve(Life f) {
        String target = f.request.target();
        if (!TargetSelector.isSelector(target)) {
            f.index = targets.indexOf(f.type().scope(), target);
            f.target = target;
            return f.index >= 0;
        }
        BitSet occupied = new BitSet();
        for (Life a : active) {
            targets.occupy(occupied, a.type().scope(), a.index);
        }
        // A live fault lands on this shard's chips: the other collectors do not know about it.
        boolean ownedOnly = f.source.equals("live");
        int index = targets.pick(TargetSelector.parse(target), occupied, ownedOnly,
                noise.reset(seed, STREAM_FAULT_SELECT, f.seq));
        if (index < 0) {
            return false;
        }
        f.index = index;
        f.target = targets.idOf(f.type().scope(), index);
        return true;
    }
}
