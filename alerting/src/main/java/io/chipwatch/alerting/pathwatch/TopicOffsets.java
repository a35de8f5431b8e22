package io.chipwatch.alerting.pathwatch;

import java.util.Map;

/** The offsets {@link KafkaPath} reads: a topic's end offsets and a consumer group's committed ones. */
public interface TopicOffsets {
    /** The end offset of every partition of {@code topic}; empty when the topic does not exist. */
    Map<Integer, Long> endOffsets(String topic) throws Exception;

    /** The offsets {@code group} committed for the partitions of {@code topic}; empty when it committed none. */
    Map<Integer, Long> committed(String group, String topic) throws Exception;

    /**
     * Records a group is behind: over the partitions it committed, the topic's end offset minus its committed one
     * (a partition without an end offset counts nothing).
     */
    static long recordsBehind(Map<Integer, Long> end, Map<Integer, Long> committed) {
        long records = 0;
        for (Map.Entry<Integer, Long> c : committed.entrySet()) {
            Long e = end.get(c.getKey());
            if (e != null) {
                records += Math.max(0, e - c.getValue());
            }
        }
        return records;
    }
}
