package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.sink.kafka.DeadLetterSerializer;
import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.KeyedValue;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Topology;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.chipwatch.jobs.testing.ItSupport.number;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on real Kafka and InfluxDB, given the topology ({@code --chips 16}), fed one bad record of every kind among
 * good samples, and one sample that arrives after its window closed: each bad record reaches the dead-letter topic
 * with its reason and its exact bytes, the late one as LATE, the job keeps running, and the good samples' points
 * are exact.
 */
@RealInfrastructure
class DeadLettersIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(1);

    private static final Topology TOPOLOGY = Topology.build(ClusterShape.DEFAULT, 16);
    private static final long T0 = (System.currentTimeMillis() / 10_000 - 360) * 10_000;
    private static final int SECONDS = 30;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyKindOfBadRecordAndALateSampleReachTheDeadLetterTopicWithItsReason(KafkaService kafka,
                                                                              InfluxService influx) throws Exception {
        String topic = TestTopics.unique("dl_samples");
        String deadLetters = TestTopics.unique("dl_dead");
        String database = TestTopics.unique("dl_telemetry");
        kafka.createTopic(topic, 1);
        kafka.createTopic(deadLetters, 1);
        ChipSampleCodec codec = new ChipSampleCodec();
        Map<DeadLetter.Reason, List<byte[]>> bad = badRecords(codec);
        List<KeyedValue> records = new ArrayList<>();
        List<ChipSample> good = new ArrayList<>();
        for (int s = 0; s < SECONDS; s++) {
            for (Chip chip : TOPOLOGY.chips()) {
                ChipSample sample = sample(chip, s, 40 + s, List.of());
                good.add(sample);
                records.add(new KeyedValue(chip.id(), codec.encode(sample)));
            }
            if (s == 15) {
                bad.forEach((reason, values) -> values.forEach(v ->
                        records.add(new KeyedValue(keyOf(reason), v))));
            }
        }
        ItSupport.produce(kafka.bootstrapServers(), topic, records);

        AggregationJobConfig config = AggregationJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", topic, "--dead-letter-topic", deadLetters,
                "--group-id", TestTopics.unique("dl"), "--influx-url", influx.url(), "--influx-db", database,
                "--parallelism", "1", "--checkpoint-interval-ms", "500", "--chips", "16"});
        StreamExecutionEnvironment env = JobRuns.built(config, AggregationJob::build);
        JobClient job = env.executeAsync(AggregationJob.JOB_NAME);
        try {
            // Windows [0, 10) and [10, 20) close once the watermark passes 20 s (the input reaches 29 s).
            ItSupport.await("the first two windows in InfluxDB", Duration.ofMinutes(2), () ->
                    ItSupport.points(influx.url(), database, "raw_7d", "chip").size() >= 2 * 16);
            ChipSample late = sample(TOPOLOGY.chips().get(2), 5, 99, List.of());
            late = new ChipSample(late.timestampMillis() + 500, late.chip(), late.node(), late.rack(), late.pod(),
                    null, late.util(), late.tempC(), late.powerW(), late.links());
            ItSupport.produce(kafka.bootstrapServers(), topic,
                    List.of(new KeyedValue(late.chip(), codec.encode(late))));
            int expected = bad.values().stream().mapToInt(List::size).sum() + 1;
            ItSupport.await(expected + " dead letters", Duration.ofMinutes(2), () ->
                    ItSupport.readAll(kafka.bootstrapServers(), deadLetters).size() >= expected);

            List<ConsumerRecord<byte[], byte[]>> letters = ItSupport.readAll(kafka.bootstrapServers(), deadLetters);
            assertThat(letters).hasSize(expected);
            Map<DeadLetter.Reason, List<byte[]>> actual = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                DeadLetter.Reason reason = DeadLetter.Reason.valueOf(ItSupport.header(letter, DeadLetterSerializer.REASON));
                assertThat(ItSupport.header(letter, DeadLetterSerializer.MESSAGE)).isNotBlank();
                if (reason != DeadLetter.Reason.LATE) {
                    assertThat(ItSupport.header(letter, DeadLetterSerializer.SOURCE_TOPIC)).isEqualTo(topic);
                    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(keyOf(reason));
                }
                actual.computeIfAbsent(reason, r -> new ArrayList<>()).add(letter.value());
            }
            assertThat(actual.keySet()).containsExactlyInAnyOrder(DeadLetter.Reason.values());
            bad.forEach((reason, values) -> assertThat(actual.get(reason)).as("%s dead letters", reason)
                    .usingElementComparator(Arrays::compare)
                    .containsExactlyInAnyOrderElementsOf(values.stream().map(v -> v == null ? new byte[0] : v).toList()));
            assertThat(codec.decode(actual.get(DeadLetter.Reason.LATE).get(0))).isEqualTo(late);

            // The good samples are untouched by all this: windows [0, 10) and [10, 20) of every chip are exact.
            Map<String, Map<String, Object>> chips =
                    ItSupport.byTagAndTime(ItSupport.points(influx.url(), database, "raw_7d", "chip"), "chip");
            ExpectedAggregates.chips(good).forEach((key, e) -> {
                if (e.windowStart() < T0 + 20_000) {
                    assertThat(number(chips.get(key), "samples")).as("samples of %s", key).isEqualTo(10);
                    assertThat(number(chips.get(key), "util_mean")).isEqualTo(e.utilMean());
                }
            });
        } finally {
            job.cancel().get();
        }
    }

    /** The Kafka key the bad records of {@code reason} are sent with: chip 0, or the unknown chip's own id. */
    private static String keyOf(DeadLetter.Reason reason) {
        return reason == DeadLetter.Reason.UNKNOWN_CHIP ? UNKNOWN_CHIP : TOPOLOGY.chips().get(0).id();
    }

    private static final String UNKNOWN_CHIP = "p00-r00-n02-c00";

    /** One or more records of every rejection reason but LATE, by reason; a null value is a tombstone. */
    private static Map<DeadLetter.Reason, List<byte[]>> badRecords(ChipSampleCodec codec) {
        Chip chip = TOPOLOGY.chips().get(0);
        long now = System.currentTimeMillis();
        byte[] valid = codec.encode(sample(chip, 15, 50, List.of()));
        Map<DeadLetter.Reason, List<byte[]>> bad = new LinkedHashMap<>();
        bad.put(DeadLetter.Reason.EMPTY, Arrays.asList(new byte[0], null));
        bad.put(DeadLetter.Reason.BAD_MAGIC, List.of("{\"chip\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        byte[] version9 = valid.clone();
        version9[1] = 9;
        bad.put(DeadLetter.Reason.UNKNOWN_VERSION, List.of(version9));
        bad.put(DeadLetter.Reason.MALFORMED_BODY, List.of(Arrays.copyOf(valid, valid.length - 7)));
        bad.put(DeadLetter.Reason.TRAILING_BYTES, List.of(Arrays.copyOf(valid, valid.length + 2)));
        // Chip 1's sample, sent under chip 0's key.
        bad.put(DeadLetter.Reason.KEY_MISMATCH, List.of(codec.encode(sample(TOPOLOGY.chips().get(1), 15, 50, List.of()))));
        bad.put(DeadLetter.Reason.MISSING_ID, List.of(codec.encode(new ChipSample(T0 + 15_000, chip.id(), " ",
                chip.rack(), chip.pod(), null, 1, 40, 100, List.of()))));
        bad.put(DeadLetter.Reason.UNKNOWN_CHIP, List.of(codec.encode(new ChipSample(T0 + 15_000, UNKNOWN_CHIP,
                "p00-r00-n02", "p00-r00", "p00", null, 1, 40, 100, List.of()))));
        bad.put(DeadLetter.Reason.FUTURE_TIMESTAMP, List.of(codec.encode(at(chip, now + Duration.ofMinutes(10).toMillis()))));
        bad.put(DeadLetter.Reason.STALE_TIMESTAMP, List.of(codec.encode(at(chip, now - Duration.ofDays(8).toMillis()))));
        bad.put(DeadLetter.Reason.NON_FINITE, List.of(
                codec.encode(values(chip, Double.NaN, 40, 100, 4)),
                codec.encode(values(chip, 50, Double.POSITIVE_INFINITY, 100, 4)),
                codec.encode(values(chip, 50, 40, Double.NEGATIVE_INFINITY, 4)),
                codec.encode(values(chip, 50, 40, 100, Double.NaN))));
        bad.put(DeadLetter.Reason.OUT_OF_RANGE, List.of(
                codec.encode(values(chip, 101, 40, 100, 4)),
                codec.encode(values(chip, -1, 40, 100, 4)),
                codec.encode(values(chip, 50, 200, 100, 4)),
                codec.encode(values(chip, 50, -60, 100, 4)),
                codec.encode(values(chip, 50, 40, -5, 4)),
                codec.encode(values(chip, 50, 40, 2500, 4)),
                codec.encode(values(chip, 50, 40, 100, -1)),
                codec.encode(values(chip, 50, 40, 100, 2_000_000))));
        return bad;
    }

    private static ChipSample sample(Chip chip, int second, double util, List<LinkLatency> links) {
        return new ChipSample(T0 + second * 1000L, chip.id(), chip.node(), chip.rack(), chip.pod(), "job-1",
                util, 45, 200 + chip.index(), links);
    }

    private static ChipSample at(Chip chip, long timestamp) {
        return new ChipSample(timestamp, chip.id(), chip.node(), chip.rack(), chip.pod(), null, 1, 40, 100, List.of());
    }

    private static ChipSample values(Chip chip, double util, double temp, double power, double latencyUs) {
        return new ChipSample(T0 + 15_500, chip.id(), chip.node(), chip.rack(), chip.pod(), null, util, temp, power,
                List.of(new LinkLatency(chip.id() + "~sw", chip.rack() + "-sw", LinkKind.FABRIC, latencyUs)));
    }
}
