package io.chipwatch.collector.publish;

import io.chipwatch.collector.TopicReader;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.collector.sim.TransportNoise;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.model.wire.WireFormatException;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Publishes simulated samples to a real broker and reads them back. */
@RealInfrastructure
class KafkaSamplePublisherIT {

    @Test
    void everySampleArrivesOnceDecodesEqualAndKeepsPerChipOrder(KafkaService kafka) throws WireFormatException {
        String topic = kafka.createUniqueTopic("samples", 4);
        SimulationConfig config = SimulationConfig.builder().chips(400).seed(11)
                .imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE)).build();

        List<ChipSample> published = SimulationRun.publishSimulated(config, 5, kafka.bootstrapServers(), topic);
        assertThat(published).hasSize(2000);

        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(kafka, topic, published.size());
        assertThat(records).hasSize(published.size());

        ChipSampleCodec codec = new ChipSampleCodec();
        List<ChipSample> received = new ArrayList<>();
        Map<String, Integer> partitionOfChip = new HashMap<>();
        Map<String, List<ChipSample>> receivedByChip = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            ChipSample sample = codec.decode(record.value());
            assertThat(record.key()).isEqualTo(sample.chip());
            // One chip, one partition: what keeps its samples in order.
            assertThat(partitionOfChip.computeIfAbsent(sample.chip(), k -> record.partition()))
                    .isEqualTo(record.partition());
            received.add(sample);
            receivedByChip.computeIfAbsent(sample.chip(), k -> new ArrayList<>()).add(sample);
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(published);
        assertThat(partitionOfChip.values()).as("the chips spread over the partitions").hasSize(400)
                .containsAll(List.of(0, 1, 2, 3));

        Map<String, List<ChipSample>> publishedByChip = new LinkedHashMap<>();
        published.forEach(s -> publishedByChip.computeIfAbsent(s.chip(), k -> new ArrayList<>()).add(s));
        assertThat(receivedByChip).isEqualTo(publishedByChip);
    }

    @Test
    void countsWhatTheBrokerAcknowledged(KafkaService kafka) throws InterruptedException {
        String topic = kafka.createUniqueTopic("samples", 2);
        ClusterSimulator simulator = new ClusterSimulator(SimulationConfig.builder().chips(160)
                .imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE)).build());
        try (KafkaSamplePublisher publisher = KafkaSamplePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers()).topic(topic).build()) {
            assertThat(publisher.awaitReady(Duration.ofSeconds(30))).isTrue();
            for (int t = 0; t < 3; t++) {
                simulator.tick(publisher);
            }
            publisher.flush();
            assertThat(publisher.sent()).isEqualTo(480);
            assertThat(publisher.acknowledged()).isEqualTo(480);
            assertThat(publisher.failed()).isZero();
        }
        assertThat(TopicReader.readAll(kafka, topic, 480)).hasSize(480);
    }
}
