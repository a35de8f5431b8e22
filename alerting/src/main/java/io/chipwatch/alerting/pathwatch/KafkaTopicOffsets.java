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
 * record time (the collector's silence, {@link io.chipwatch.alerting.source.SampleFlowWatch}).
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
