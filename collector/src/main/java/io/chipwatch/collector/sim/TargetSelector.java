package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.sample.LinkKind;

import java.util.Locale;

/**
 * A fault target chosen by the simulator instead of named: {@code random[-FILTER][-KIND]-SCOPE}, resolved when the
 * fault starts, deterministically from the seed, the fault's sequence number and the workload at that instant.
 * <ul>
 *   <li>SCOPE: {@code chip}, {@code node}, {@code rack} or {@code link} (must match the fault's scope);</li>
 *   <li>FILTER (optional): {@code busy} (a node with a job), {@code training} (a node of a training job) or
 *       {@code idle} (a node without a job); for a rack, any of its nodes;</li>
 *   <li>KIND (links only, optional): {@code intra} or {@code fabric}.</li>
 * </ul>
 * Examples: {@code random-chip}, {@code random-training-chip}, {@code random-busy-node}, {@code random-rack},
 * {@code random-intra-link}, {@code random-busy-fabric-link}. The simulator avoids nodes that another active fault
 * already touches, so that two random faults do not land on the same machine.
 *
 * @param filter the node filter, or null
 * @param kind   for links: the link kind, or null for either
 * @param scope  the kind of entity
 */
public record TargetSelector(Filter filter, LinkKind kind, FaultScope scope) {

    /** Which nodes qualify. */
    public enum Filter {
        BUSY, TRAINING, IDLE
    }

    /** Whether the text is meant as a selector rather than an entity id. */
    public static boolean isSelector(String target) {
        return target.startsWith("random");
    }

    /**
     * Parses a selector.
     *
     * @throws IllegalArgumentException explaining the grammar
     */
    public static TargetSelector parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("-");
        int i = 0;
        if (parts.length < 2 || !parts[i++].equals("random")) {
            throw bad(text);
        }
        Filter filter = null;
        if (i < parts.length - 1) {
            switch (parts[i]) {
                case "busy" -> filter = Filter.BUSY;
                case "training" -> filter = Filter.TRAINING;
                case "idle" -> filter = Filter.IDLE;
                default -> { }
            }
            if (filter != null) {
                i++;
            }
        }
        LinkKind kind = null;
        if (i < parts.length - 1) {
            switch (parts[i]) {
                case "intra" -> kind = LinkKind.INTRA;
                case "fabric" -> kind = LinkKind.FABRIC;
                default -> throw bad(text);
            }
            i++;
        }
        if (i != parts.length - 1) {
            throw bad(text);
        }
        FaultScope scope;
        try {
            scope = FaultScope.fromLabel(parts[i]);
        } catch (IllegalArgumentException e) {
            throw bad(text);
        }
        if (kind != null && scope != FaultScope.LINK) {
            throw bad(text);
        }
        return new TargetSelector(filter, kind, scope);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a selector; use random[-busy|-training|-idle]"
                + "[-intra|-fabric]-chip|node|rack|link, e.g. random-chip, random-training-chip, random-rack, "
                + "random-intra-link");
    }
}
