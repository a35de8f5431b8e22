package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.sink.kafka.DeadLetterSerializer;
import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.jobs.testing.JobRuns;
import io.chipwatch.jobs.testing.MiniClusters;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AggregationJob} end to end on real infrastructure: hand-made samples are produced to a real Kafka
 * topic, the job runs bounded on a MiniCluster exactly as {@code main} builds it, and the test reads the
 * {@code chip} points back from a real InfluxDB and the dead letter back from Kafka.
 */
@RealInfrastructure
class AggregationJobIT {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(1);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void writesExactChipWindowsToInfluxDbAndTheMalformedRecordToTheDeadLetterTopic(
            KafkaService kafka, InfluxService influx) throws Exception {
        String topic = TestTopics.unique("samples");
        String deadLetterTopic = TestTopics.unique("dead_letters");
        String database = TestTopics.unique("telemetry");
        // Three partitions read by one source subtask: watermarks must be tracked per partition, or one
        // partition read ahead of the others makes their samples late.
        kafka.createTopic(topic, 3);
        kafka.createTopic(deadLetterTopic, 1);
        ItSupport.produce(kafka.bootstrapServers(), topic, HandMadeSamples.records());

        AggregationJobConfig config = AggregationJobConfig.fromArgs(new String[]{
                "--bootstrap", kafka.bootstrapServers(), "--topic", topic, "--dead-letter-topic", deadLetterTopic,
                "--group-id", TestTopics.unique("aggregation"), "--influx-url", influx.url(),
                "--influx-db", database, "--bounded", "--parallelism", "1", "--checkpoint-interval-ms", "500"});
        StreamExecutionEnvironment env = JobRuns.built(config, AggregationJob::build);
        env.execute(AggregationJob.JOB_NAME);

        assertThat(chipPoints(influx.url(), database))
                .containsExactlyInAnyOrderEntriesOf(HandMadeSamples.expectedWindows());

        List<ConsumerRecord<byte[], byte[]>> deadLetters = ItSupport.readAll(kafka.bootstrapServers(), deadLetterTopic);
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(HandMadeSamples.malformed());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(HandMadeSamples.chip(3));
            assertThat(ItSupport.header(record, DeadLetterSerializer.REASON)).isEqualTo("MALFORMED_BODY");
            assertThat(ItSupport.header(record, DeadLetterSerializer.SOURCE_TOPIC)).isEqualTo(topic);
        });
    }

    /** Every {@code chip} point, as ChipWindows keyed "chip@windowStart". */
    private static Map<String, ChipWindow> chipPoints(String url, String database) {
        Map<String, ChipWindow> points = new HashMap<>();
        for (Map<String, Object> v : ItSupport.rows(url, database, "SELECT * FROM chip")) {
            ChipWindow w = new ChipWindow((String) v.get("chip"), (String) v.get("node"),
                    (String) v.get("rack"), (String) v.get("pod"), (String) v.get("job"), (long) v.get("time"),
                    (Double) v.get("util_mean"), (Double) v.get("util_max"),
                    (Double) v.get("temp_mean"), (Double) v.get("temp_max"),
                    (Double) v.get("power_mean"), (Double) v.get("power_max"),
                    ((Number) v.get("samples")).longValue(), (Double) v.get("link_latency_us_p50"),
                    (Double) v.get("link_latency_us_p99"), (Double) v.get("link_latency_us_max"));
            assertThat(points.put(w.chip() + "@" + w.windowStart(), w)).as("one point per window").isNull();
        }
        return points;
    }
}
