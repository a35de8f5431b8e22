package io.chipwatch.jobs.testing;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;

import java.util.Map;
import java.util.TreeMap;

/**
 * The buffer timeouts of a job graph's network edges (every output that is not forward), by the name of the operator
 * that sends on them: what decides how many flusher threads a running job has (one per edge with a timeout above 0).
 */
public final class ShuffleTimeouts {
    private ShuffleTimeouts() {
    }

    /** Operator name → the largest buffer timeout, ms, of its non-forward output edges (none: absent). */
    public static Map<String, Long> of(StreamExecutionEnvironment env) {
        Map<String, Long> timeouts = new TreeMap<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            for (StreamEdge edge : node.getOutEdges()) {
                if (!(edge.getPartitioner() instanceof ForwardPartitioner)) {
                    timeouts.merge(node.getOperatorName(), edge.getBufferTimeout(), Math::max);
                }
            }
        }
        return timeouts;
    }

    /**
     * Of {@code timeouts} (from {@link #of}: building the stream graph empties the environment, so once per test),
     * only the operators whose timeout is above 0.
     */
    public static Map<String, Long> buffered(Map<String, Long> timeouts) {
        Map<String, Long> buffered = new TreeMap<>(timeouts);
        buffered.values().removeIf(timeout -> timeout == 0);
        return buffered;
    }
}
