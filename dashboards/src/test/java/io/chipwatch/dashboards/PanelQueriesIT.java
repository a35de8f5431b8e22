package io.chipwatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.dashboards.DashboardFiles.DashboardQuery;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Every query of every dashboard (panel targets, template variables, annotations), with Grafana's macros and the
 * variables filled in as Grafana would, runs against a real InfluxDB filled by the real pipeline
 * ({@link PipelineFixture}: simulator, Kafka, the aggregation job on Flink) and returns data about the entity it
 * names. Panels with a relative time override ({@code timeFrom}) are queried over the fixture's range, which holds
 * data that is an hour old.
 */
@ExtendWith(RealInfrastructureExtension.class)
class PanelQueriesIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    private static PipelineFixture fixture;

    @BeforeAll
    static void fill(KafkaService kafka, InfluxService influx) throws Exception {
        fixture = PipelineFixture.get(kafka, influx);
    }

    @Test
    void theDrillDownPicksTheEntitiesTheAlertsWereSeededFor() {
        ObjectNode drilldown = dashboard("chipwatch-drilldown");
        try (Influx influx = fixture.influx()) {
            DashboardVariables vars = DashboardVariables.resolve(drilldown, influx, fixture.fromMillis,
                    System.currentTimeMillis());
            assertThat(vars.values()).containsAllEntriesOf(Map.of("pod", fixture.entities.get("pod"),
                    "rack", fixture.entities.get("rack"), "node", fixture.entities.get("node"),
                    "chip", fixture.entities.get("chip")));
            // The hierarchy holds: the racks offered are the pod's, the chips the node's.
            assertThat(vars.options().get("rack")).allMatch(r -> r.startsWith(vars.values().get("pod")));
            assertThat(vars.options().get("chip")).hasSize(PipelineFixture.SHAPE.chipsPerNode())
                    .allMatch(c -> c.startsWith(vars.values().get("node")));
        }
    }

    /**
     * The fixture's link alert fired, then was acknowledged; the rack alert fired, then resolved. The "active" panels
     * of the overview and the alerts dashboard list the acknowledged alert with its state and count it, and leave the
     * resolved one out (they once filtered on {@code status = 'firing'}, so acknowledging an alert hid it).
     */
    @Test
    void anAcknowledgedAlertStaysOnTheActivePanelsWithItsStateAndAResolvedOneLeaves() {
        long to = System.currentTimeMillis();
        for (String[] panel : new String[][]{{"chipwatch-overview", "Active alerts"},
                {"chipwatch-alerts", "Active alerts"}, {"chipwatch-alerts", "Firing now"}}) {
            ObjectNode d = dashboard(panel[0]);
            try (Influx influx = fixture.influx()) {
                DashboardVariables vars = DashboardVariables.resolve(d, influx, fixture.fromMillis, to);
                // Every variable with an "All" option at "All" (the alerts dashboard's severity), as Grafana puts
                // its allValue into the query: unescaped.
                Map<String, String> values = new HashMap<>(vars.values());
                Set<String> regex = new HashSet<>(vars.regex());
                for (JsonNode v : d.path("templating").path("list")) {
                    if (v.path("includeAll").asBoolean() && v.hasNonNull("allValue")) {
                        values.put(v.path("name").asText(), v.path("allValue").asText());
                        regex.remove(v.path("name").asText());
                    }
                }
                for (DashboardQuery q : DashboardFiles.panelAndAnnotationQueries(d)) {
                    if (!q.owner().equals(panel[1])) {
                        continue;
                    }
                    String rendered = QueryTemplate.render(q.query(), fixture.fromMillis, to, "10s", values, regex);
                    List<QueryResult.Series> series = influx.series(rendered);
                    if ("table".equals(q.resultFormat())) {
                        assertThat(statusBySummary(series)).as(q.toString()).containsOnly(
                                entry("Chip " + fixture.entities.get("chip") + " overheating: 97.5 °C (limit 95 °C)",
                                        "firing"),
                                entry("Link " + fixture.entities.get("link") + " degraded: p99 48 µs", "acknowledged"));
                    } else {
                        assertThat(series).as(q.toString()).hasSize(1);
                        assertThat(((Number) series.get(0).getValues().get(0).get(1)).intValue()).as(q.toString())
                                .isEqualTo(2);
                    }
                }
            }
        }
    }

    /**
     * The capacity dashboard's by-job table, with the variables at their first values (the fixture's first rack and
     * its first job): one row, the chosen job, whose busy and idle chip-hours add up to its chip-hours.
     */
    @Test
    void theCapacityByJobTableSplitsTheJobsChipHoursIntoBusyAndIdle() {
        ObjectNode capacity = dashboard("chipwatch-capacity");
        long to = System.currentTimeMillis();
        try (Influx influx = fixture.influx()) {
            DashboardVariables vars = DashboardVariables.resolve(capacity, influx, fixture.fromMillis, to);
            assertThat(vars.values()).containsEntry("job", fixture.entities.get("job"));
            DashboardQuery q = DashboardFiles.panelAndAnnotationQueries(capacity).stream()
                    .filter(x -> x.owner().equals("By job: busy and idle chip-hours")).findFirst().orElseThrow();
            List<QueryResult.Series> series = influx.series(QueryTemplate.render(q.query(), fixture.fromMillis, to,
                    "10s", vars.values(), vars.regex()));
            assertThat(series).hasSize(1);
            QueryResult.Series s = series.get(0);
            assertThat(s.getTags()).containsEntry("job", fixture.entities.get("job"));
            List<Object> row = s.getValues().get(0);
            double chipHours = ((Number) row.get(s.getColumns().indexOf("chip_hours"))).doubleValue();
            double busy = ((Number) row.get(s.getColumns().indexOf("busy_chip_hours"))).doubleValue();
            double idle = ((Number) row.get(s.getColumns().indexOf("idle_chip_hours"))).doubleValue();
            assertThat(chipHours).isPositive();
            assertThat(busy + idle).isEqualTo(chipHours);
        }
    }

    /** Summary → status of each row of a table query's answer. */
    private static Map<String, String> statusBySummary(List<QueryResult.Series> series) {
        Map<String, String> out = new HashMap<>();
        for (QueryResult.Series s : series) {
            int summary = s.getColumns().indexOf("summary");
            int status = s.getColumns().indexOf("status");
            for (List<Object> row : s.getValues()) {
                out.put(String.valueOf(row.get(summary)), String.valueOf(row.get(status)));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicNode> everyQueryReturnsDataForTheEntityItNames() {
        long to = System.currentTimeMillis();
        List<DynamicNode> perDashboard = new ArrayList<>();
        for (ObjectNode d : DashboardFiles.dashboards()) {
            String uid = d.path("uid").asText();
            List<DynamicNode> tests = new ArrayList<>();
            DashboardVariables vars;
            try (Influx influx = fixture.influx()) {
                vars = DashboardVariables.resolve(d, influx, fixture.fromMillis, to);
            }
            for (DashboardQuery v : DashboardFiles.variableQueries(d)) {
                tests.add(DynamicTest.dynamicTest(v.toString() + " = " + vars.values().get(v.owner()),
                        () -> assertThat(vars.options().get(v.owner())).isNotEmpty()));
            }
            for (DashboardQuery q : DashboardFiles.panelAndAnnotationQueries(d)) {
                String interval = q.minInterval() != null ? q.minInterval() : "10s";
                String rendered = QueryTemplate.render(q.query(), fixture.fromMillis, to, interval, vars.values(),
                        vars.regex());
                tests.add(DynamicTest.dynamicTest(q + " " + vars.named(q.query()), () -> {
                    try (Influx influx = fixture.influx()) {
                        vars.assertDataFor(q.toString(), rendered, influx.series(rendered));
                    }
                }));
            }
            perDashboard.add(DynamicContainer.dynamicContainer(uid, tests));
        }
        return perDashboard.stream();
    }

    static ObjectNode dashboard(String uid) {
        return DashboardFiles.dashboards().stream().filter(d -> d.path("uid").asText().equals(uid)).findFirst()
                .orElseThrow();
    }
}
