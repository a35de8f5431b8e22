package io.chipwatch.alerting.pathwatch;

import java.util.Map;

/** The offsets {@link KafkaPath} reads: a topic's end offsets and a consumer group's committed ones. */
public interface TopicOffsets {
    /** The end offset of every partition of {@code topic}; empty when the topic does not exist. */
    Map<Integer, Long> endOffsets(String topic) throws Exception;

    /** The offsets {@code group} committed for the partitions of {@code topic}; empty when it committed none. */
    Map<Integer, Long> committed(String group, String topic) throws Exception;
}
