package io.chipwatch.model.topology;

import io.chipwatch.model.sample.LinkKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's physical layout: pods hold racks, racks hold nodes, nodes hold chips, and links join them.
 * Ids are stable: the same shape and chip count always give the same ids, so data from different runs and
 * different processes (collector shards, stream jobs, tests) lines up.
 *
 * <p>Id scheme: pod {@code p00}, rack {@code p00-r03}, node {@code p00-r03-n07}, chip {@code p00-r03-n07-c05},
 * rack switch {@code p00-r03-sw}, intra link {@code p00-r03-n07-c01~c05}, fabric link {@code p00-r03-n07-c01~sw}.
 */
public final class Topology {
    private final ClusterShape shape;
    private final List<Chip> chips;
    private final Map<String, Chip> chipsById;
    private final Map<String, List<Chip>> chipsByNode;
    private final Map<String, List<Chip>> chipsByRack;
    private final Map<String, List<Chip>> chipsByPod;
    private final List<Link> links;

    private Topology(ClusterShape shape, List<Chip> chips, List<Link> links) {
        this.shape = shape;
        this.chips = Collections.unmodifiableList(chips);
        this.links = Collections.unmodifiableList(links);
        this.chipsById = new HashMap<>(chips.size() * 2);
        this.chipsByNode = new LinkedHashMap<>();
        this.chipsByRack = new LinkedHashMap<>();
        this.chipsByPod = new LinkedHashMap<>();
        for (Chip chip : chips) {
            chipsById.put(chip.id(), chip);
            chipsByNode.computeIfAbsent(chip.node(), k -> new ArrayList<>()).add(chip);
            chipsByRack.computeIfAbsent(chip.rack(), k -> new ArrayList<>()).add(chip);
            chipsByPod.computeIfAbsent(chip.pod(), k -> new ArrayList<>()).add(chip);
        }
    }

    /**
     * Lays out {@code chipCount} chips in the given shape, filling pods in order.
     *
     * @throws IllegalArgumentException when the count is not positive or not a whole number of nodes
     */
    public static Topology build(ClusterShape shape, int chipCount) {
        if (chipCount < 1) {
            throw new IllegalArgumentException("chip count must be at least 1, got " + chipCount);
        }
        if (chipCount % shape.chipsPerNode() != 0) {
            throw new IllegalArgumentException("chip count " + chipCount + " is not a whole number of "
                    + shape.chipsPerNode() + "-chip nodes; use a multiple of " + shape.chipsPerNode());
        }
        int nodeCount = chipCount / shape.chipsPerNode();
        int rackCount = ceilDiv(nodeCount, shape.nodesPerRack());
        int podCount = ceilDiv(rackCount, shape.racksPerPod());
        String podFmt = "p%0" + width(podCount) + "d";
        String rackFmt = "-r%0" + width(Math.min(rackCount, shape.racksPerPod())) + "d";
        String nodeFmt = "-n%0" + width(Math.min(nodeCount, shape.nodesPerRack())) + "d";
        String chipFmt = "-c%0" + width(shape.chipsPerNode()) + "d";

        List<Chip> chips = new ArrayList<>(chipCount);
        List<Link> links = new ArrayList<>();
        for (int n = 0; n < nodeCount; n++) {
            int rackIndex = n / shape.nodesPerRack();
            int podIndex = rackIndex / shape.racksPerPod();
            String pod = String.format(podFmt, podIndex);
            String rack = pod + String.format(rackFmt, rackIndex % shape.racksPerPod());
            String node = rack + String.format(nodeFmt, n % shape.nodesPerRack());
            String rackSwitch = rack + "-sw";
            String[] chipIds = new String[shape.chipsPerNode()];
            List<List<Link>> chipLinks = new ArrayList<>();
            for (int c = 0; c < chipIds.length; c++) {
                chipIds[c] = node + String.format(chipFmt, c);
                chipLinks.add(new ArrayList<>(chipIds.length));
            }
            for (int a = 0; a < chipIds.length; a++) {
                for (int b = a + 1; b < chipIds.length; b++) {
                    Link link = new Link(chipIds[a] + "~" + chipIds[b].substring(node.length() + 1),
                            chipIds[a], chipIds[b], LinkKind.INTRA);
                    links.add(link);
                    chipLinks.get(a).add(link);
                    chipLinks.get(b).add(link);
                }
            }
            for (int c = 0; c < chipIds.length; c++) {
                Link fabric = new Link(chipIds[c] + "~sw", chipIds[c], rackSwitch, LinkKind.FABRIC);
                links.add(fabric);
                chipLinks.get(c).add(fabric);
                chips.add(new Chip(chips.size(), chipIds[c], node, rack, pod, chipLinks.get(c)));
            }
        }
        return new Topology(shape, chips, links);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int width(int count) {
        return Math.max(2, String.valueOf(Math.max(0, count - 1)).length());
    }

    public ClusterShape shape() {
        return shape;
    }

    /** All chips, in id order; {@code chips().get(i).index() == i}. */
    public List<Chip> chips() {
        return chips;
    }

    /** Every link once. */
    public List<Link> links() {
        return links;
    }

    /** The chip with this id, or {@code null}. */
    public Chip chip(String id) {
        return chipsById.get(id);
    }

    public Map<String, List<Chip>> chipsByNode() {
        return Collections.unmodifiableMap(chipsByNode);
    }

    public Map<String, List<Chip>> chipsByRack() {
        return Collections.unmodifiableMap(chipsByRack);
    }

    public Map<String, List<Chip>> chipsByPod() {
        return Collections.unmodifiableMap(chipsByPod);
    }

    public int chipCount() {
        return chips.size();
    }
}
