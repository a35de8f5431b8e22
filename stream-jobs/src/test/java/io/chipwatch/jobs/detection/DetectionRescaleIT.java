package io.chipwatch.jobs.detection;

import io.chipwatch.jobs.checkpoint.LatestCheckpoint;
import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.model.wire.WireFormatException;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detection job stopped mid-incident and restored from its latest checkpoint at twice the parallelism (a
 * session cluster that gained a TaskManager: {@code up --cluster --taskmanagers}): the cluster of
 * {@link DetectionJobIT}, one fault of every type from second 100, is produced up to second 103 (some faults
 * decided, some not yet), read by the job at parallelism 1 until a checkpoint covers it, the job cancelled; then
 * the rest is produced and a new job at parallelism 2 restores the checkpoint and reads on. The anomalies,
 * repeats of an id dropped as alerting drops them (at-least-once: the records after the checkpoint are read twice),
 * are exactly one per fault, as in an uninterrupted run, and the chip_down and node_down that were open at the
 * restart close once, after it. A restore that lost the detectors' keyed state (open anomalies, thermal models,
 * silence bookkeeping) would re-open them under new ids, never close them, or miss the faults decided after it.
 */
@ExtendWith(RealInfrastructureExtension.class)
class DetectionRescaleIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    private static final int SECONDS = 240;
    private static final long SPLIT_MILLIS = FaultyCluster.START_MILLIS + 103_000;

    @TempDir
    Path checkpoints;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aJobRestoredAtTwiceTheParallelismRaisesWhatAnUninterruptedOneDoes(KafkaService kafka) throws Exception {
        String samples = TestTopics.unique("rescale_samples");
        String anomaliesTopic = TestTopics.unique("rescale_anomalies");
        kafka.createTopic(samples, 4);
        kafka.createTopic(anomaliesTopic, 2);
        Map<String, String[]> expected = new TreeMap<>();
        FaultyCluster cluster = DetectionJobPipelineTest.clusterWithEveryFault(expected);
        List<ChipSample> before = new ArrayList<>();
        List<ChipSample> after = new ArrayList<>();
        cluster.run(SECONDS, s -> (s.timestampMillis() < SPLIT_MILLIS ? before : after).add(s));
        String group = TestTopics.unique("rescale");

        produce(kafka.bootstrapServers(), samples, before);
        Map<TopicPartition, Long> firstPart = ItSupport.endOffsets(kafka.bootstrapServers(), samples);
        JobClient first = start(kafka, samples, anomaliesTopic, group, 1);
        ItSupport.await("a checkpoint covering the first part", Duration.ofMinutes(2), () ->
                ItSupport.committedAtLeast(kafka.bootstrapServers(), group, firstPart));
        first.cancel().get();
        assertThat(LatestCheckpoint.in(checkpoints.toUri().toString())).as("retained on cancel").isPresent();
        List<Anomaly> beforeRestart = read(kafka.bootstrapServers(), anomaliesTopic);
        assertThat(beforeRestart).as("decided before the restart").isNotEmpty();

        // Unbounded again: a split restored from an unbounded run keeps its (absent) stopping offset, so a bounded
        // run would never end. Everything up to the last second is decided once the chip and node are back.
        produce(kafka.bootstrapServers(), samples, after);
        JobClient second = start(kafka, samples, anomaliesTopic, group, 2);
        try {
            ItSupport.await("the chip_down and node_down closed", Duration.ofMinutes(3), () ->
                    deduplicated(read(kafka.bootstrapServers(), anomaliesTopic)).stream()
                            .filter(a -> a.state() == AnomalyState.CLOSED)
                            .filter(a -> a.type() == AnomalyType.CHIP_DOWN || a.type() == AnomalyType.NODE_DOWN)
                            .count() == 2);
            // A moment for a late repeat or a wrong extra verdict to show.
            Thread.sleep(3_000);
        } finally {
            second.cancel().get();
        }

        List<Anomaly> deduplicated = deduplicated(read(kafka.bootstrapServers(), anomaliesTopic));
        DetectionJobPipelineTest.assertOneAnomalyPerFault(deduplicated, expected);
        assertThat(deduplicated).as("opened before the restart, closed after it, once each")
                .filteredOn(a -> a.type() == AnomalyType.CHIP_DOWN || a.type() == AnomalyType.NODE_DOWN)
                .extracting(Anomaly::state)
                .containsExactlyInAnyOrder(AnomalyState.OPEN, AnomalyState.CLOSED, AnomalyState.OPEN,
                        AnomalyState.CLOSED);
        assertThat(beforeRestart).as("some faults were decided before the restart, some after")
                .filteredOn(a -> a.state() == AnomalyState.OPEN).hasSizeBetween(1, expected.size() - 1);
    }

    /** The events, repeats of an id and state dropped (as alerting drops them). */
    private static List<Anomaly> deduplicated(List<Anomaly> events) {
        Map<String, Anomaly> once = new LinkedHashMap<>();
        for (Anomaly a : events) {
            once.putIfAbsent(a.id() + "/" + a.state(), a);
        }
        return List.copyOf(once.values());
    }

    private JobClient start(KafkaService kafka, String samples, String anomalies, String group, int parallelism)
            throws Exception {
        String anyTime = String.valueOf(DetectionJobArguments.ANY_TIME.toMillis());
        DetectionJobConfig config = DetectionJobConfig.fromArgs(new String[] {
                "--bootstrap", kafka.bootstrapServers(), "--topic", samples, "--anomalies-topic", anomalies,
                "--group-id", group, "--transactional-id-prefix", TestTopics.unique("rescale_tx"),
                "--parallelism", String.valueOf(parallelism), "--checkpoint-interval-ms", "500",
                "--checkpoint-dir", checkpoints.toString(), "--restore-latest",
                "--idleness-ms", "0",
                // The cluster runs in simulated time (2026-01-01): no timestamp guard.
                "--max-future-ms", anyTime, "--max-age-ms", anyTime});
        return JobRuns.built(config, DetectionJob::build).executeAsync(DetectionJob.JOB_NAME);
    }

    /** Produces samples as the collector does (see {@link DetectionJobIT}: the record's time is the producer's). */
    private static void produce(String bootstrap, String topic, List<ChipSample> samples) {
        ChipSampleCodec codec = new ChipSampleCodec();
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
            for (ChipSample s : samples) {
                producer.send(new ProducerRecord<>(topic, s.chip().getBytes(StandardCharsets.UTF_8), codec.encode(s)));
            }
            producer.flush();
        }
    }

    private static List<Anomaly> read(String bootstrap, String topic) {
        AnomalyCodec codec = new AnomalyCodec();
        List<Anomaly> anomalies = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.readAll(bootstrap, topic, true)) {
            try {
                anomalies.add(codec.decode(r.value()));
            } catch (WireFormatException e) {
                throw new AssertionError("an anomaly the job wrote does not decode: " + e.getMessage(), e);
            }
        }
        return anomalies;
    }
}
