package io.chipwatch.collector.publish;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.sample.ChipSample;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Publishes a simulated run to Kafka as fast as the producer takes it (simulated time, not wall clock), for
 * tests and benchmarks that need a known set of samples in a topic and want to compare what comes out of the
 * pipeline against them. Keeps every sample in memory: meant for test-sized runs, not 100,000 chips for an hour.
 */
public final class SimulationRun {

    /** How long a batch run waits for a broker that refuses samples before it counts them as failed. */
    private static final Duration BROKER_PATIENCE = Duration.ofMinutes(2);

    private SimulationRun() {
    }

    /**
     * Simulates {@code ticks} ticks of {@code cfg}, publishes every sample to {@code topic}, waits until all are
     * acknowledged, and returns them in publishing order.
     *
     * @throws IllegalStateException when any sample could not be published
     */
    public static List<ChipSample> publishSimulated(SimulationConfig cfg, int ticks, String bootstrap, String topic) {
        return publishSimulated(cfg, ticks, bootstrap, topic, Map.of());
    }

    /** As {@link #publishSimulated(SimulationConfig, int, String, String)}, with extra producer properties. */
    public static List<ChipSample> publishSimulated(SimulationConfig cfg, int ticks, String bootstrap, String topic,
                                                    Map<String, ?> producerProperties) {
        ClusterSimulator simulator = new ClusterSimulator(cfg);
        List<ChipSample> samples = new ArrayList<>(Math.multiplyExact(cfg.chips(), ticks));
        KafkaSamplePublisher.Builder builder = KafkaSamplePublisher.builder()
                .bootstrapServers(bootstrap)
                .topic(topic)
                // Unlike the real-time loop, a batch run wants back-pressure, not dropped samples, when the
                // producer's buffer fills up.
                .producerProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000")
                .producerProperties(producerProperties);
        try (KafkaSamplePublisher publisher = builder.build()) {
            // publishWaiting, not publish: a batch run waits for a refusal to pass (a broker slow to answer a
            // metadata look-up under load), where the real-time loop's publish drops samples for a second.
            Consumer<ChipSample> send = sample -> {
                samples.add(sample);
                publisher.publishWaiting(sample, BROKER_PATIENCE);
            };
            for (int t = 0; t < ticks; t++) {
                simulator.tick(send);
            }
            simulator.drain(send);
            publisher.flush();
            if (publisher.failed() > 0 || publisher.acknowledged() != samples.size()) {
                throw new IllegalStateException("published " + samples.size() + " samples to " + topic + " at "
                        + bootstrap + " but only " + publisher.acknowledged() + " were acknowledged, "
                        + publisher.failed() + " failed; the first: " + publisher.firstFailure());
            }
        }
        return samples;
    }
}
