package io.chipwatch.e2e;

import io.chipwatch.collector.publish.SimulationRun;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.collector.sim.TransportNoise;
import io.chipwatch.jobs.aggregation.AggregationJob;
import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.PipelineTopics;
import io.chipwatch.testsupport.TestTopics;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole mission path on real components: a seeded simulator run → the real Kafka broker → the aggregation
 * job on a Flink MiniCluster → the real InfluxDB. Every {@code chip} point must equal the aggregate computed
 * here, independently, from the simulator's own samples: for every chip and every window, nothing lost and
 * nothing counted twice.
 */
@ExtendWith(RealInfrastructureExtension.class)
class SimulatorToInfluxIT {
    private static final int CHIPS = 1_000;
    private static final int SECONDS = 30;
    private static final long WINDOW_MS = 10_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void everyChipWindowInInfluxEqualsTheAggregateOfTheSimulatedSamples(KafkaService kafka, InfluxService influx)
            throws Exception {
        PipelineTopics run = PipelineTopics.create(kafka, "e2e", 4);
        String topic = run.topic();
        String database = run.database();

        // Recent, window-aligned event time, so that no retention policy of the storage contract drops it.
        long start = (System.currentTimeMillis() - 3_600_000L) / WINDOW_MS * WINDOW_MS;
        // Every sample once and on time: the storage arithmetic is checked against exactly what was published
        // (the transport's late, repeated and lost samples are eval's and TransportTest's business).
        SimulationConfig simulation = SimulationConfig.builder().chips(CHIPS).seed(20261128L).startMillis(start)
                .imperfections(Imperfections.REAL.withTransport(TransportNoise.NONE)).build();
        List<ChipSample> samples = SimulationRun.publishSimulated(simulation, SECONDS, kafka.bootstrapServers(), topic);
        assertThat(samples).hasSize(CHIPS * SECONDS);

        AggregationJobConfig config = AggregationJobConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic)
                .deadLetterTopic(run.deadLetterTopic())
                .groupId(TestTopics.unique("e2e_group"))
                .influxUrl(influx.url())
                .influxDatabase(database)
                .bounded(true)
                .parallelism(2)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AggregationJob.configure(env, config);
        AggregationJob.build(env, config);
        env.execute("e2e-aggregation");

        Map<String, Expected> expected = expectedWindows(samples);
        assertThat(expected).hasSize(CHIPS * SECONDS / 10);

        Map<String, Map<String, Object>> actual = chipPoints(influx.url(), database);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, e) -> {
            Map<String, Object> p = actual.get(key);
            assertThat(((Number) p.get("samples")).longValue()).as("samples of %s", key).isEqualTo(e.samples);
            assertThat((Double) p.get("util_mean")).as("util_mean of %s", key).isCloseTo(e.utilSum / e.samples, within(1e-9));
            assertThat((Double) p.get("util_max")).as("util_max of %s", key).isEqualTo(e.utilMax);
            assertThat((Double) p.get("temp_mean")).as("temp_mean of %s", key).isCloseTo(e.tempSum / e.samples, within(1e-9));
            assertThat((Double) p.get("temp_max")).as("temp_max of %s", key).isEqualTo(e.tempMax);
            assertThat((Double) p.get("power_mean")).as("power_mean of %s", key).isCloseTo(e.powerSum / e.samples, within(1e-9));
            assertThat((Double) p.get("power_max")).as("power_max of %s", key).isEqualTo(e.powerMax);
            assertThat(p.get("node")).isEqualTo(e.node);
            assertThat(p.get("rack")).isEqualTo(e.rack);
            assertThat(p.get("pod")).isEqualTo(e.pod);
        });
    }

    /** Per chip and 10-second window, the aggregate of the simulator's own samples. */
    private static Map<String, Expected> expectedWindows(List<ChipSample> samples) {
        Map<String, Expected> windows = new HashMap<>();
        for (ChipSample s : samples) {
            long windowStart = Math.floorDiv(s.timestampMillis(), WINDOW_MS) * WINDOW_MS;
            Expected e = windows.computeIfAbsent(s.chip() + "@" + windowStart, k -> new Expected(s));
            e.samples++;
            e.utilSum += s.util();
            e.tempSum += s.tempC();
            e.powerSum += s.powerW();
            e.utilMax = Math.max(e.utilMax, s.util());
            e.tempMax = Math.max(e.tempMax, s.tempC());
            e.powerMax = Math.max(e.powerMax, s.powerW());
        }
        return windows;
    }

    /** Every {@code chip} point of the database, keyed like {@link #expectedWindows}. */
    private static Map<String, Map<String, Object>> chipPoints(String url, String database) {
        Map<String, Map<String, Object>> points = new TreeMap<>();
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult result = client.query(new Query("SELECT * FROM chip", database), TimeUnit.MILLISECONDS);
            assertThat(result.getResults().get(0).getError()).isNull();
            QueryResult.Series series = result.getResults().get(0).getSeries().get(0);
            List<String> columns = series.getColumns();
            for (List<Object> values : series.getValues()) {
                Map<String, Object> point = new HashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    point.put(columns.get(i), values.get(i));
                }
                long time = ((Number) point.get("time")).longValue();
                Object previous = points.put(point.get("chip") + "@" + time, point);
                assertThat(previous).as("one point per chip and window").isNull();
            }
        }
        return points;
    }

    private static final class Expected {
        final String node;
        final String rack;
        final String pod;
        long samples;
        double utilSum;
        double tempSum;
        double powerSum;
        double utilMax = Double.NEGATIVE_INFINITY;
        double tempMax = Double.NEGATIVE_INFINITY;
        double powerMax = Double.NEGATIVE_INFINITY;

        Expected(ChipSample first) {
            this.node = first.node();
            this.rack = first.rack();
            this.pod = first.pod();
        }
    }
}
