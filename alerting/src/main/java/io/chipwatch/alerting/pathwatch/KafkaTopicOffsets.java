package io.chipwatch.alerting.pathwatch;

import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The offsets the alerting service's watches read from a Kafka cluster, through one admin client (5 s timeouts):
 * a topic's end offsets and a group's committed ones ({@link TopicOffsets}, the path watch) and a topic's newest
 * record time (the collector's silence, {@link io.chipwatch.alerting.source.SampleFlowWatch}). The CLI's
 * {@code status} reads each job's lag through it too, with {@link #ingestRatePerS}.
 */
public final class KafkaTopicOffsets implements TopicOffsets, AutoCloseable {
    private static final long TIMEOUT_S = 5;
    private final Admin admin;

    /**
     * @param credentials the Kafka credentials file ({@link KafkaClientSecurity}); null for PLAINTEXT
     */
    public KafkaTopicOffsets(String bootstrap, Path credentials) {
        Properties p = KafkaClientSecurity.apply(new Properties(), credentials);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "chipwatch-alerting-watches");
        this.admin = Admin.create(p);
    }

    @Override
    public Map<Integer, Long> endOffsets(String topic) throws Exception {
        Map<Integer, Long> ends = new HashMap<>();
        offsets(topic, OffsetSpec.latest()).forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        return ends;
    }

    /**
     * The time of the newest record of {@code topic} (the producer's timestamp, Kafka's {@code maxTimestamp}
     * look-up); empty when the topic does not exist or holds no record.
     */
    public OptionalLong newestTimestamp(String topic) throws Exception {
        long newest = -1;
        for (ListOffsetsResult.ListOffsetsResultInfo info : offsets(topic, OffsetSpec.maxTimestamp()).values()) {
            newest = Math.max(newest, info.timestamp());
        }
        return newest < 0 ? OptionalLong.empty() : OptionalLong.of(newest);
    }

    /**
     * Records per second written to {@code topic} over the {@code window} before {@code nowMillis}: the records from
     * the first one stamped at or after {@code nowMillis - window} to the end, over the time since that first one
     * (so a topic younger than the window is measured over its life); 0 when nothing was written in the window or the
     * topic does not exist. Two look-ups, no history kept: what a one-shot reader ({@code status}) can tell.
     */
    public double ingestRatePerS(String topic, Duration window, long nowMillis) throws Exception {
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> from =
                offsets(topic, OffsetSpec.forTimestamp(nowMillis - window.toMillis()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = offsets(topic, OffsetSpec.latest());
        long records = 0;
        long first = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> f : from.entrySet()) {
            ListOffsetsResult.ListOffsetsResultInfo e = end.get(f.getKey());
            if (f.getValue().offset() < 0 || e == null) {
                continue;   // nothing stamped in the window on this partition
            }
            records += Math.max(0, e.offset() - f.getValue().offset());
            if (f.getValue().timestamp() >= 0) {
                first = Math.min(first, f.getValue().timestamp());
            }
        }
        if (records == 0 || first == Long.MAX_VALUE) {
            return 0;
        }
        return records / Math.max(1.0, (nowMillis - first) / 1000.0);
    }

    /** One offset look-up for every partition of {@code topic}; empty when the topic does not exist. */
    private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(String topic, OffsetSpec spec)
            throws Exception {
        List<TopicPartitionInfo> partitions;
        try {
            partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(topic).partitions();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Map.of();
            }
            throw e;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartitionInfo p : partitions) {
            request.put(new TopicPartition(topic, p.partition()), spec);
        }
        return admin.listOffsets(request).all().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    public Map<Integer, Long> committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<Integer, Long> committed = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null && tp.topic().equals(topic)) {
                committed.put(tp.partition(), om.offset());
            }
        });
        return committed;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
