package io.chipwatch.alerting.source;

import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.anomaly.AnomalyType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The anomaly consumer's loop on Kafka's {@link MockConsumer}: it outlives the client's exceptions (retrying with
 * backoff) and its {@link AnomalyConsumer#health()} tells a reading consumer from a stuck or dead one.
 */
class AnomalyConsumerTest {
    private static final String TOPIC = "anomalies";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    /** A consumer whose partition look-up times out the first {@code failures} times, as during a Kafka outage. */
    private static MockConsumer<byte[], byte[]> failingLookups(int failures) {
        AtomicInteger left = new AtomicInteger(failures);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
            @Override
            public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
                if (left.getAndDecrement() > 0) {
                    throw new TimeoutException("Timeout expired while fetching topic metadata");
                }
                return super.partitionsFor(topic, timeout);
            }
        };
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0],
                new Node[0])));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 0L));
        return consumer;
    }

    @Test
    void aTimeoutFromThePartitionRefreshIsRetriedAndTheThreadReadsOn() throws Exception {
        MockConsumer<byte[], byte[]> kafka = failingLookups(2);
        List<Anomaly> applied = new CopyOnWriteArrayList<>();
        try (AnomalyConsumer consumer = new AnomalyConsumer(TOPIC, kafka, batch -> {
            applied.addAll(batch);
            return CompletableFuture.completedFuture(null);
        }, new AlertingMetrics(), () -> { }, Clock.systemUTC())) {
            consumer.start();
            Await.until("two failed look-ups retried", Duration.ofSeconds(10),
                    () -> consumer.health().failures() == 2 && kafka.assignment().contains(TP));
            AnomalyConsumer.Health h = consumer.health();
            assertThat(h.alive()).isTrue();
            assertThat(h.lastError()).contains("TimeoutException", "fetching topic metadata");

            Anomaly down = Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r00-n00-c00", System.currentTimeMillis());
            kafka.schedulePollTask(() -> kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, new byte[0],
                    new AnomalyCodec().encode(down))));
            Await.until("the anomaly applied after the outage", Duration.ofSeconds(10), () -> applied.size() == 1);
            assertThat(applied.get(0).id()).isEqualTo(down.id());
            assertThat(consumer.health().healthy(Duration.ofSeconds(60))).isTrue();
        }
    }

    @Test
    void aConsumerThatCannotPollIsUnhealthyOnceItsLastPollIsTooOld() throws Exception {
        MutableClock clock = new MutableClock(1_000_000L);
        try (AnomalyConsumer consumer = new AnomalyConsumer(TOPIC, failingLookups(Integer.MAX_VALUE),
                batch -> CompletableFuture.completedFuture(null), new AlertingMetrics(), () -> { }, clock)) {
            consumer.start();
            Await.until("a failure", Duration.ofSeconds(10), () -> consumer.health().failures() >= 1);
            assertThat(consumer.health().healthy(Duration.ofSeconds(60))).as("alive, and just started").isTrue();

            clock.advance(Duration.ofSeconds(61));

            AnomalyConsumer.Health h = consumer.health();
            assertThat(h.alive()).isTrue();
            assertThat(h.lastPollAgeMs()).isEqualTo(61_000);
            assertThat(h.healthy(Duration.ofSeconds(60))).isFalse();
        }
    }

    @Test
    void aStoppedConsumerIsUnhealthy() {
        AnomalyConsumer consumer = new AnomalyConsumer(TOPIC, failingLookups(0),
                batch -> CompletableFuture.completedFuture(null), new AlertingMetrics(), () -> { },
                Clock.systemUTC());
        consumer.start();
        consumer.close();

        assertThat(consumer.health().alive()).isFalse();
        assertThat(consumer.health().healthy(Duration.ofSeconds(60))).isFalse();
    }
}
