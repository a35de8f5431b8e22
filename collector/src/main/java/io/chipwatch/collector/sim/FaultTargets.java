package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The entities faults target: checks a request's target, finds an entity's index, picks the entity a
 * {@link TargetSelector} means (from the seed and the workload of the moment) and names the chip whose shard
 * reports a fault's ground truth.
 */
final class FaultTargets {
    private final ClusterLayout layout;
    private final Topology topology;
    private final int chipsPerNode;
    private final WorkloadModel workload;
    private final IntPredicate ownsChip;

    FaultTargets(ClusterLayout layout, WorkloadModel workload, IntPredicate ownsChip) {
        this.layout = layout;
        this.topology = layout.topology();
        this.chipsPerNode = layout.chipsPerNode();
        this.workload = workload;
        this.ownsChip = ownsChip;
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

    /** Index of the entity of this scope with this id, or -1. */
    int indexOf(FaultScope scope, String id) {
        Integer i = switch (scope) {
            case CHIP -> {
                Chip c = topology.chip(id);
                yield c == null ? null : c.index();
            }
            case NODE -> layout.nodeIndex(id);
            case RACK -> layout.rackIndex(id);
            case LINK -> layout.linkIndex(id);
        };
        return i == null ? -1 : i;
    }

    /** Id of the entity of this scope at this index. */
    String idOf(FaultScope scope, int index) {
        return switch (scope) {
            case CHIP -> topology.chips().get(index).id();
            case NODE -> topology.chips().get(index * chipsPerNode).node();
            case RACK -> topology.chips().get(layout.rackFirstNode(index) * chipsPerNode).rack();
            case LINK -> topology.links().get(index).id();
        };
    }

    /** The chip whose shard reports a fault's ground truth, so that exactly one collector publishes it. */
    int anchorChip(FaultScope scope, int index) {
        return switch (scope) {
            case CHIP -> index;
            case NODE -> index * chipsPerNode;
            case RACK -> layout.rackFirstNode(index) * chipsPerNode;
            case LINK -> layout.linkChip(index);
        };
    }

    /** Whether this shard owns the entity's anchor chip. */
    boolean ownsAnchor(FaultScope scope, int index) {
        return ownsChip.test(anchorChip(scope, index));
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
        return index >= 0 && ownsAnchor(r.type().scope(), index);
    }

    /** Adds the nodes that an active fault on this entity touches. */
    void occupy(BitSet nodes, FaultScope scope, int index) {
        switch (scope) {
            case CHIP -> nodes.set(index / chipsPerNode);
            case NODE -> nodes.set(index);
            case RACK -> nodes.set(layout.rackFirstNode(index), layout.rackFirstNode(index + 1));
            case LINK -> nodes.set(layout.linkChip(index) / chipsPerNode);
        }
    }

    /**
     * The index of the entity a selector picks, drawing from {@code noise}: away from the {@code occupied} nodes
     * when it can, only among this shard's entities when {@code ownedOnly}; -1 when none matches.
     */
    int pick(TargetSelector sel, BitSet occupied, boolean ownedOnly, Noise noise) {
        int index = pickOnce(sel, occupied, ownedOnly, noise);
        return index >= 0 ? index : pickOnce(sel, new BitSet(), ownedOnly, noise);
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

    private int pickOnce(TargetSelector sel, BitSet occupied, boolean ownedOnly, Noise noise) {
        if (sel.scope() == FaultScope.RACK) {
            return pickRack(sel, occupied, ownedOnly, noise);
        }
        int nodes = layout.nodeCount();
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
                yield layout.linkIndex(links.get((int) (noise.uniform() * links.size())).id());
            }
            case RACK -> throw new AssertionError();
        };
    }

    private int pickRack(TargetSelector sel, BitSet occupied, boolean ownedOnly, Noise noise) {
        List<Integer> racks = new ArrayList<>();
        for (int r = 0; r < layout.rackCount(); r++) {
            boolean match = false;
            boolean free = !ownedOnly || ownsChip.test(layout.rackFirstNode(r) * chipsPerNode);
            for (int n = layout.rackFirstNode(r); n < layout.rackFirstNode(r + 1); n++) {
                match |= nodeMatches(sel.filter(), n);
                free &= !occupied.get(n);
            }
            if (match && free) {
                racks.add(r);
            }
        }
        return racks.isEmpty() ? -1 : racks.get((int) (noise.uniform() * racks.size()));
    }
}
