package io.chipwatch.collector.sim;

/**
 * One job of the simulated workload: it owns a contiguous range of nodes from its start until its end.
 *
 * @param id          job id as it appears in samples, e.g. {@code train-00042}
 * @param kind        training or inference
 * @param firstNode   index of its first node (nodes in topology order)
 * @param nodeCount   number of nodes it owns
 * @param startMillis when it started, epoch ms (may lie before the simulation's start)
 * @param endMillis   when it ends, epoch ms (exclusive)
 * @param profile     how its demand moves over time
 */
public record Job(String id, JobKind kind, int firstNode, int nodeCount, long startMillis, long endMillis,
                  JobProfile profile) {

    /** Whether the job owns the node with this index. */
    public boolean ownsNode(int node) {
        return node >= firstNode && node < firstNode + nodeCount;
    }

    /** Whether the job runs at {@code timestampMillis}. */
    public boolean runningAt(long timestampMillis) {
        return timestampMillis >= startMillis && timestampMillis < endMillis;
    }
}
