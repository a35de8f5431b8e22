package io.chipwatch.collector.publish;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.sample.ChipSample;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The publisher without a broker: its settings, and that a dead broker costs the sampling loop little. */
class KafkaSamplePublisherTest {

    @Test
    void producerIsIdempotentCompressedAndBatchedUnlessOverridden() {
        KafkaSamplePublisher.Builder builder = KafkaSamplePublisher.builder().bootstrapServers("h:1").topic("t")
                .producerProperty("linger.ms", "5");
        Properties p = KafkaSamplePublisher.producerProperties(builder);
        assertThat(p).containsEntry("bootstrap.servers", "h:1").containsEntry("enable.idempotence", "true")
                .containsEntry("acks", "all").containsEntry("compression.type", "lz4")
                .containsEntry("linger.ms", "5").containsEntry("max.block.ms", "200");
        assertThat(Integer.parseInt((String) p.get("batch.size"))).isGreaterThanOrEqualTo(128 * 1024);
    }

    @Test
    void requiresBootstrapAndTopic() {
        assertThatThrownBy(() -> KafkaSamplePublisher.builder().topic("t").build()).hasMessageContaining("bootstrap");
        assertThatThrownBy(() -> KafkaSamplePublisher.builder().bootstrapServers("h:1").build()).hasMessageContaining("topic");
    }

    @Test
    void aDeadBrokerNeitherBlocksTheLoopNorGoesUncounted() throws IOException, InterruptedException {
        List<ChipSample> tick = new ClusterSimulator(SimulationConfig.builder().chips(5000).build()).tick();
        try (KafkaSamplePublisher publisher = publisherToNoBroker()) {
            assertThat(publisher.awaitReady(Duration.ofMillis(300))).isFalse();
            long start = System.nanoTime();
            for (ChipSample s : tick) {
                assertThat(publisher.publish(s)).isFalse();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // One send waits max.block.ms (200 ms) for metadata; the rest of the tick is dropped at once, and the
            // producer is tried again at most once a second. (Counted rather than timed alone: on a loaded 2-core
            // machine the loop itself can take a second or two.)
            assertThat(publisher.attempts()).isLessThanOrEqualTo(2 + millis / 1_000);
            assertThat(millis).isLessThan(5_000);
            assertThat(publisher.sent()).isZero();
            assertThat(publisher.failed()).isEqualTo(tick.size());
            assertThat(publisher.acknowledged()).isZero();
            publisher.close(Duration.ofSeconds(1));
            publisher.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void behindTheBufferTheSenderWaitsForTheBrokerAndCountsNothingUntilItGivesUp() throws Exception {
        ChipSample sample = new ClusterSimulator(SimulationConfig.builder().chips(8).build()).tick().get(0);
        try (KafkaSamplePublisher publisher = publisherToNoBroker()) {
            AtomicBoolean accepted = new AtomicBoolean(true);
            Thread sender = new Thread(() -> accepted.set(publisher.publishWaiting(sample)), "sample-sender");
            sender.start();
            // Each try waits max.block.ms (200 ms) then 300 ms: by now it has been refused several times.
            Thread.sleep(2_000);
            assertThat(sender.isAlive()).as("still waiting for the broker").isTrue();
            assertThat(publisher.attempts()).isGreaterThanOrEqualTo(2);
            assertThat(publisher.failed()).as("a held sample is not lost (yet)").isZero();
            sender.interrupt();
            sender.join(5_000);
            assertThat(sender.isAlive()).isFalse();
            assertThat(accepted.get()).isFalse();
            assertThat(publisher.failed()).as("given up when interrupted: counted once").isEqualTo(1);
            assertThat(publisher.sent()).isZero();

            publisher.close(Duration.ofSeconds(1));
            assertThat(publisher.publishWaiting(sample)).as("closed: refused for good, not waited for").isFalse();
            assertThat(publisher.failed()).isEqualTo(2);
        }
    }

    @Test
    void aBatchSenderGivesUpOnceTheBrokerHasRefusedForLongerThanItsPatience() throws Exception {
        ChipSample sample = new ClusterSimulator(SimulationConfig.builder().chips(8).build()).tick().get(0);
        try (KafkaSamplePublisher publisher = publisherToNoBroker()) {
            assertThat(publisher.publishWaiting(sample, Duration.ofSeconds(1))).isFalse();
            // Tried again after the first refusal (each try waits max.block.ms, 200 ms, then 300 ms), then given up.
            assertThat(publisher.attempts()).isGreaterThanOrEqualTo(2);
            assertThat(publisher.failed()).as("given up: counted once").isEqualTo(1);
            assertThat(publisher.sent()).isZero();
            assertThat(publisher.firstFailure()).as("says why").contains("chip-samples");
        }
    }

    /** A publisher to a port nothing listens on: every send is refused after max.block.ms (200 ms). */
    private static KafkaSamplePublisher publisherToNoBroker() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        return KafkaSamplePublisher.builder().bootstrapServers("127.0.0.1:" + closedPort).topic("chip-samples").build();
    }
}
