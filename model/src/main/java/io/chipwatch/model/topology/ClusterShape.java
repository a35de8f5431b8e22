package io.chipwatch.model.topology;

/**
 * How many of each level a full cluster level holds: chips per node, nodes per rack, racks per pod. The total
 * chip count is given separately to {@link Topology#build}; the last pod (and rack) may be partly filled.
 *
 * @param chipsPerNode chips in one server; they form a full mesh of intra-node links
 * @param nodesPerRack servers in one rack, sharing one inlet temperature and one switch
 * @param racksPerPod  racks in one pod
 */
public record ClusterShape(int chipsPerNode, int nodesPerRack, int racksPerPod) {

    /** The default of docs/CONTRACTS.md §1: 8 chips per node, 10 nodes per rack, 25 racks per pod (2,000 chips a pod). */
    public static final ClusterShape DEFAULT = new ClusterShape(8, 10, 25);

    public ClusterShape {
        require(chipsPerNode, "chipsPerNode");
        require(nodesPerRack, "nodesPerRack");
        require(racksPerPod, "racksPerPod");
    }

    private static void require(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    public int chipsPerRack() {
        return chipsPerNode * nodesPerRack;
    }

    public int chipsPerPod() {
        return chipsPerRack() * racksPerPod;
    }
}
