package io.chipwatch.alerting.insight;

import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link InfluxInsights} against a real InfluxDB holding points exactly as the storage contract (CONTRACTS.md §3)
 * describes them: what its queries read back, and what the history check writes to {@code capacity_loss}.
 */
@ExtendWith(RealInfrastructureExtension.class)
class InfluxInsightsIT {
    static final long H = 3_600_000L;
    static final long M = 60_000L;

    private static Point anomaly(long t, String type, String scope, String entity, String id, String state,
                                 double value, Map<String, String> hierarchy) {
        return Point.measurement("anomaly").time(t, TimeUnit.MILLISECONDS)
                .tag("type", type).tag("severity", "warning").tag("scope", scope).tag("entity", entity).tag(hierarchy)
                .addField("id", id).addField("state", state).addField("value", value).addField("threshold", 0.85)
                .addField("detail", "").addField("affected", "").build();
    }

    @Test
    void readsAnomaliesJobSizesAndHourlyLinkMediansAndWritesLostChipHours(InfluxService service) {
        String db = TestTopics.unique("insights");
        service.createDatabase(db);
        long t0 = (System.currentTimeMillis() / H - 6) * H;   // six whole hours ago
        Map<String, String> chip = Map.of("pod", "p00", "rack", "p00-r00", "node", "p00-r00-n01",
                "chip", "p00-r00-n01-c0", "job", "j1");
        BatchPoints.Builder b = BatchPoints.database(db);
        // A straggler of j1 at 0.75 of its peers from t0 + 1 h to t0 + 3 h; a link anomaly without a job.
        b.point(anomaly(t0 + H, "straggler", "chip", "p00-r00-n01-c0", "s1", "open", 0.75, chip));
        b.point(anomaly(t0 + 3 * H, "straggler", "chip", "p00-r00-n01-c0", "s1", "closed", 0.75, chip));
        b.point(anomaly(t0 + 2 * H, "link_flap", "link", "L1", "f1", "open", 9, Map.of("node", "p00-r00-n01",
                "chip", "p00-r00-n01-c0", "link", "L1", "peer", "p00-r00-n01-c1")));
        // j1 had 12 chips, then 16 (a point every 10 s in the real pipeline; three here).
        b.point(Point.measurement("job").time(t0, TimeUnit.MILLISECONDS).tag("job", "j1")
                .addField("chips", 12L).addField("util_mean", 80.0).build());
        b.point(Point.measurement("job").time(t0 + H, TimeUnit.MILLISECONDS).tag("job", "j1")
                .addField("chips", 16L).addField("util_mean", 80.0).build());
        b.point(Point.measurement("job").time(t0 + 2 * H + 30 * M, TimeUnit.MILLISECONDS).tag("job", "j1")
                .addField("chips", 16L).addField("util_mean", 80.0).build());
        // Link L1, both ends, a point a minute for 3 hours: hour h reads 2.0 + 0.1 h on even minutes and 0.01 more on
        // odd ones, so its median is 2.0 + 0.1 h + 0.005.
        for (int h = 0; h < 3; h++) {
            for (int m = 0; m < 60; m++) {
                for (String end : List.of("p00-r00-n01-c0", "p00-r00-n01-c1")) {
                    b.point(Point.measurement("link").time(t0 + h * H + m * M, TimeUnit.MILLISECONDS)
                            .tag("link", "L1").tag("chip", end).tag("kind", "intra")
                            .addField("latency_us_mean", 2.0 + 0.1 * h + (m % 2) * 0.01)
                            .addField("samples", 10L).build());
                }
            }
        }
        try (InfluxInsights insights = new InfluxInsights(service.url(), db, Duration.ofSeconds(30));
             InfluxDB raw = InfluxDBFactory.connect(service.url())) {
            raw.write(b.build());

            List<AnomalyEvent> all = insights.anomalies(t0, t0 + 6 * H, List.of());
            assertThat(all).hasSize(3);
            AnomalyEvent open = all.stream().filter(e -> e.id().equals("s1") && e.open()).findFirst().orElseThrow();
            assertThat(open).isEqualTo(new AnomalyEvent("s1", "straggler", "chip", "p00-r00-n01-c0", "p00-r00",
                    "p00-r00-n01", "p00-r00-n01-c0", "", "j1", true, 0.75, t0 + H));
            assertThat(insights.anomalies(t0, t0 + 6 * H, StragglerCost.TYPES)).extracting(AnomalyEvent::id)
                    .containsOnly("s1").hasSize(2);
            assertThat(insights.anomalies(t0 + 2 * H, t0 + 6 * H, List.of())).extracting(AnomalyEvent::id)
                    .containsExactlyInAnyOrder("s1", "f1");

            assertThat(insights.jobChips(t0, t0 + 6 * H)).isEqualTo(Map.of("j1", 16));

            List<LinkHour> hours = insights.linkHours(t0, t0 + 3 * H).get("L1");
            assertThat(hours).extracting(LinkHour::hourMillis).containsExactly(t0, t0 + H, t0 + 2 * H);
            for (int h = 0; h < 3; h++) {
                assertThat(hours.get(h).medianUs()).isCloseTo(2.005 + 0.1 * h, within(1e-9));
            }

            // The check at t0 + 4 h writes 15-minute windows from t0 + 2 h: the straggler costs each window of
            // [t0 + 2 h, t0 + 3 h) 0.25 h × 16 chips × 0.25 = 1 chip-hour, 4 in all; nothing after it closed.
            List<Anomaly> raised = new ArrayList<>();
            InsightCheck check = new InsightCheck(insights, insights, InsightSettings.DEFAULT, a -> {
                raised.addAll(a);
                return CompletableFuture.completedFuture(null);
            }, List.of(), new MutableClock(t0 + 4 * H));
            check.check();
            QueryResult lost = raw.query(new Query("SELECT sum(\"chip_hours\"), count(\"chip_hours\") FROM "
                    + "\"capacity_loss\" GROUP BY \"job\", \"node\", \"chip\", \"cause\"", db));
            QueryResult.Series s = lost.getResults().get(0).getSeries().get(0);
            assertThat(s.getTags()).isEqualTo(Map.of("job", "j1", "node", "p00-r00-n01", "chip", "p00-r00-n01-c0",
                    "cause", "straggler"));
            assertThat(((Number) s.getValues().get(0).get(1)).doubleValue()).isCloseTo(4.0, within(1e-9));
            assertThat(((Number) s.getValues().get(0).get(2)).intValue()).isEqualTo(4);
            assertThat(raised).as("two anomalies of a node in the week: no lemon").isEmpty();
        }
    }
}
