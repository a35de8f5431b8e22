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
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link TopicOffsets} from a Kafka cluster, through an admin client of its own (5 s timeouts). */
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
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "chipwatch-alerting-path-watch");
        this.admin = Admin.create(p);
    }

    @Override
    public Map<Integer, Long> endOffsets(String topic) throws Exception {
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
            request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
        }
        Map<Integer, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin.listOffsets(request).all()
                .get(TIMEOUT_S, TimeUnit.SECONDS).entrySet()) {
            ends.put(e.getKey().partition(), e.getValue().offset());
        }
        return ends;
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
