package io.chipwatch.collector.sim;

import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Where every chip and link of a {@link Topology} sits, as indexes the simulator's arrays use: the node and rack
 * index of each chip, its ids (shared strings, so samples allocate none), the link slots of each chip (CSR
 * layout: the slots of chip {@code c} are {@code linkStart(c) .. linkStart(c + 1) - 1}, in topology order; each
 * slot's link, peer id and, for an intra-node link, peer chip index) and the index of each node, rack and link id.
 * Chips are numbered node by node and nodes rack by rack. Immutable.
 */
final class ClusterLayout {
    private final Topology topology;
    private final int chipsPerNode;
    private final Map<String, Integer> nodeIndex;
    private final Map<String, Integer> rackIndex;
    private final Map<String, Integer> linkIndex;
    private final String[] chipId;
    private final String[] nodeId;
    private final String[] rackId;
    private final String[] podId;
    private final int[] chipNode;
    private final int[] chipRack;
    private final int[] rackFirstNode;
    private final int[] linkChip;
    private final int[] linkStart;
    private final int[] slotLink;
    private final String[] slotLinkId;
    private final String[] slotPeer;
    private final int[] slotPeerChip;
    private final LinkKind[] slotKind;

    ClusterLayout(Topology topology) {
        this.topology = topology;
        this.chipsPerNode = topology.shape().chipsPerNode();
        int chips = topology.chipCount();
        nodeIndex = indexOf(topology.chipsByNode().keySet());
        rackIndex = indexOf(topology.chipsByRack().keySet());
        linkIndex = new HashMap<>(topology.links().size() * 2);
        linkChip = new int[topology.links().size()];
        for (Link link : topology.links()) {
            linkChip[linkIndex.size()] = topology.chip(link.a()).index();
            linkIndex.put(link.id(), linkIndex.size());
        }
        chipId = new String[chips];
        nodeId = new String[chips];
        rackId = new String[chips];
        podId = new String[chips];
        chipNode = new int[chips];
        chipRack = new int[chips];
        rackFirstNode = new int[rackIndex.size() + 1];
        Arrays.fill(rackFirstNode, -1);
        linkStart = new int[chips + 1];
        int slots = 0;
        for (Chip chip : topology.chips()) {
            slots += chip.links().size();
        }
        slotLink = new int[slots];
        slotLinkId = new String[slots];
        slotPeer = new String[slots];
        slotPeerChip = new int[slots];
        slotKind = new LinkKind[slots];
        int slot = 0;
        for (Chip chip : topology.chips()) {
            int c = chip.index();
            chipId[c] = chip.id();
            nodeId[c] = chip.node();
            rackId[c] = chip.rack();
            podId[c] = chip.pod();
            chipNode[c] = nodeIndex.get(chip.node());
            chipRack[c] = rackIndex.get(chip.rack());
            if (rackFirstNode[chipRack[c]] < 0) {
                rackFirstNode[chipRack[c]] = chipNode[c];
            }
            linkStart[c] = slot;
            for (Link link : chip.links()) {
                slotLink[slot] = linkIndex.get(link.id());
                slotLinkId[slot] = link.id();
                slotPeer[slot] = link.peerOf(chip.id());
                slotKind[slot] = link.kind();
                slotPeerChip[slot] = link.kind() == LinkKind.FABRIC ? -1 : topology.chip(slotPeer[slot]).index();
                slot++;
            }
        }
        linkStart[chips] = slot;
        rackFirstNode[rackIndex.size()] = nodeIndex.size();
    }

    private static Map<String, Integer> indexOf(Iterable<String> ids) {
        Map<String, Integer> index = new HashMap<>();
        for (String id : ids) {
            index.put(id, index.size());
        }
        return index;
    }

    /**
     * The chip index range [from, to) of a shard: whole racks when there are at least as many racks as shards,
     * whole nodes otherwise, split as evenly as possible; a contiguous range, as chips are numbered rack by rack.
     */
    int[] shardRange(int index, int count) {
        int nodes = nodeCount();
        int racks = rackCount();
        if (racks >= count) {
            int nodesPerRack = topology.shape().nodesPerRack();
            int fromNode = Math.min(nodes, (int) ((long) racks * index / count) * nodesPerRack);
            int toNode = Math.min(nodes, (int) ((long) racks * (index + 1) / count) * nodesPerRack);
            return new int[] {fromNode * chipsPerNode, toNode * chipsPerNode};
        }
        int fromNode = (int) ((long) nodes * index / count);
        int toNode = (int) ((long) nodes * (index + 1) / count);
        return new int[] {fromNode * chipsPerNode, toNode * chipsPerNode};
    }

    Topology topology() {
        return topology;
    }

    int chipCount() {
        return chipId.length;
    }

    int chipsPerNode() {
        return chipsPerNode;
    }

    int nodeCount() {
        return nodeIndex.size();
    }

    int rackCount() {
        return rackIndex.size();
    }

    int linkCount() {
        return linkChip.length;
    }

    /** Index of a node id, or null. */
    Integer nodeIndex(String node) {
        return nodeIndex.get(node);
    }

    /** Index of a rack id, or null. */
    Integer rackIndex(String rack) {
        return rackIndex.get(rack);
    }

    /** Index of a link id (in {@code topology.links()}), or null. */
    Integer linkIndex(String link) {
        return linkIndex.get(link);
    }

    String chipId(int chip) {
        return chipId[chip];
    }

    String nodeId(int chip) {
        return nodeId[chip];
    }

    String rackId(int chip) {
        return rackId[chip];
    }

    String podId(int chip) {
        return podId[chip];
    }

    int chipNode(int chip) {
        return chipNode[chip];
    }

    int chipRack(int chip) {
        return chipRack[chip];
    }

    /** First node of a rack; {@code rackFirstNode(rackCount())} is the node count. */
    int rackFirstNode(int rack) {
        return rackFirstNode[rack];
    }

    /** The chip at a link's first end. */
    int linkChip(int link) {
        return linkChip[link];
    }

    /** First link slot of a chip; {@code linkStart(chipCount())} is the number of slots. */
    int linkStart(int chip) {
        return linkStart[chip];
    }

    /** The link (index) of a slot. */
    int slotLink(int slot) {
        return slotLink[slot];
    }

    String slotLinkId(int slot) {
        return slotLinkId[slot];
    }

    /** The chip (or switch) at the slot's other end. */
    String slotPeer(int slot) {
        return slotPeer[slot];
    }

    /** The chip index at the slot's other end: an intra-node link's peer chip; -1 for a fabric link (a switch). */
    int slotPeerChip(int slot) {
        return slotPeerChip[slot];
    }

    LinkKind slotKind(int slot) {
        return slotKind[slot];
    }
}
