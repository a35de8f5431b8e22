package io.chipwatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.dashboards.DashboardFiles.DashboardQuery;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.chipwatch.dashboards.DashboardFiles.DATASOURCE_UID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dashboard file is a Grafana dashboard that provisions cleanly and hangs together: unique uids and panel ids,
 * a schemaVersion, every query on the provisioned datasource as raw InfluxQL, units and thresholds on every value
 * panel, links to dashboards that exist, variables that are defined and used the way Grafana interpolates them.
 */
class DashboardJsonTest {

    static final Set<String> EXPECTED_UIDS = Set.of("chipwatch-overview", "chipwatch-drilldown", "chipwatch-links",
            "chipwatch-alerts", "chipwatch-capacity", "chipwatch-pipeline");
    private static final Set<String> VALUE_PANELS = Set.of("timeseries", "stat", "bargauge", "status-history",
            "gauge", "heatmap", "state-timeline", "barchart");
    private static final Pattern DASHBOARD_URL = Pattern.compile("/d/([A-Za-z0-9_-]+)");

    private final List<ObjectNode> dashboards = DashboardFiles.dashboards();

    @Test
    void theSixDashboardsExistWithUniqueStableUids() {
        List<String> uids = dashboards.stream().map(d -> d.path("uid").asText()).toList();
        assertThat(uids).doesNotHaveDuplicates();
        assertThat(new HashSet<>(uids)).isEqualTo(EXPECTED_UIDS);
        for (Path p : DashboardFiles.dashboardPaths()) {
            ObjectNode d = DashboardFiles.read(p);
            String uid = d.path("uid").asText();
            assertThat(uid).as("uid of %s", p).matches("[a-z0-9-]{1,40}");
            // Provisioned dashboards are found by uid; a fixed numeric id would clash between Grafana instances.
            assertThat(d.path("id").isNull() || d.path("id").isMissingNode()).as("id of %s is null", uid).isTrue();
            assertThat(d.path("title").asText()).as("title of %s", uid).isNotBlank();
            assertThat(d.path("schemaVersion").isInt()).as("schemaVersion of %s", uid).isTrue();
            assertThat(d.path("schemaVersion").asInt()).as("schemaVersion of %s", uid).isBetween(36, 42);
            assertThat(d.path("tags").toString()).as("tags of %s", uid).contains("\"chipwatch\"");
            assertThat(d.path("time").path("from").asText()).as("time of %s", uid).startsWith("now-");
            assertThat(d.path("panels").isArray() && !d.path("panels").isEmpty()).as("panels of %s", uid).isTrue();
        }
    }

    @Test
    void panelIdsAreUniqueAndPanelsDoNotOverlap() {
        for (ObjectNode d : dashboards) {
            String uid = d.path("uid").asText();
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode p : DashboardFiles.panels(d)) {
                assertThat(p.path("id").isInt()).as("%s: panel '%s' has an integer id", uid, title(p)).isTrue();
                assertThat(ids.add(p.path("id").asInt())).as("%s: panel id %s unique", uid, p.path("id")).isTrue();
                assertThat(p.path("type").asText()).as("%s: panel type", uid).isNotBlank();
                JsonNode g = p.path("gridPos");
                int x = g.path("x").asInt(), y = g.path("y").asInt(), w = g.path("w").asInt(), h = g.path("h").asInt();
                assertThat(w).as("%s: width of '%s'", uid, title(p)).isBetween(1, 24);
                assertThat(x + w).as("%s: '%s' fits in 24 columns", uid, title(p)).isLessThanOrEqualTo(24);
                assertThat(h).as("%s: height of '%s'", uid, title(p)).isPositive();
                for (int[] b : boxes) {
                    boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
                    assertThat(overlap).as("%s: '%s' overlaps another panel", uid, title(p)).isFalse();
                }
                boxes.add(new int[]{x, y, w, h});
                if (!"row".equals(p.path("type").asText())) {
                    assertThat(title(p)).as("%s: panel %s has a title", uid, p.path("id")).isNotBlank();
                    assertThat(p.path("description").asText()).as("%s: '%s' has a description", uid, title(p))
                            .isNotBlank();
                }
            }
        }
    }

    @Test
    void everyQueryIsRawInfluxQlOnTheProvisionedDatasource() {
        for (ObjectNode d : dashboards) {
            String uid = d.path("uid").asText();
            for (JsonNode p : DashboardFiles.panels(d)) {
                String type = p.path("type").asText();
                if (type.equals("row") || type.equals("text")) {
                    assertThat(p.path("targets").isEmpty()).as("%s: %s '%s' has no queries", uid, type, title(p))
                            .isTrue();
                    continue;
                }
                assertDatasource(p.path("datasource"), uid + ": panel '" + title(p) + "'");
                assertThat(p.path("targets").isEmpty()).as("%s: '%s' has queries", uid, title(p)).isFalse();
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    String where = uid + ": '" + title(p) + "' " + t.path("refId").asText();
                    assertDatasource(t.path("datasource"), where);
                    assertThat(refIds.add(t.path("refId").asText())).as("%s: unique refId", where).isTrue();
                    assertThat(t.path("rawQuery").asBoolean()).as("%s: rawQuery", where).isTrue();
                    assertThat(t.path("query").asText()).as("%s: query", where).startsWith("SELECT ");
                    assertThat(t.path("resultFormat").asText()).as("%s: resultFormat", where)
                            .isIn("time_series", "table");
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                assertThat(v.path("type").asText()).as("%s: variable %s", uid, v.path("name")).isEqualTo("query");
                assertDatasource(v.path("datasource"), uid + ": variable " + v.path("name").asText());
                assertThat(v.path("query").asText()).as("%s: variable %s", uid, v.path("name"))
                        .startsWith("SHOW TAG VALUES ");
            }
            for (JsonNode a : d.path("annotations").path("list")) {
                if (a.path("builtIn").asInt(0) == 1) {
                    // Grafana's own annotations (and alerts), on its built-in datasource.
                    assertThat(a.path("datasource").path("uid").asText()).as("%s: built-in annotation", uid)
                            .isEqualTo("-- Grafana --");
                    continue;
                }
                assertDatasource(a.path("datasource"), uid + ": annotation " + a.path("name").asText());
                assertThat(a.path("query").asText()).as("%s: annotation %s", uid, a.path("name")).startsWith("SELECT ");
                assertThat(a.path("textColumn").asText()).isNotBlank();
            }
        }
    }

    @Test
    void valuePanelsHaveUnitsAndThresholds() {
        for (ObjectNode d : dashboards) {
            for (JsonNode p : DashboardFiles.panels(d)) {
                if (!VALUE_PANELS.contains(p.path("type").asText())) {
                    continue;
                }
                String where = d.path("uid").asText() + ": '" + title(p) + "'";
                JsonNode defaults = p.path("fieldConfig").path("defaults");
                assertThat(defaults.path("unit").asText()).as("%s: unit", where).isNotBlank();
                JsonNode steps = defaults.path("thresholds").path("steps");
                assertThat(steps.isArray() && !steps.isEmpty()).as("%s: thresholds", where).isTrue();
                assertThat(steps.get(0).path("value").isNull()).as("%s: first threshold is the base", where).isTrue();
                double last = Double.NEGATIVE_INFINITY;
                for (int i = 1; i < steps.size(); i++) {
                    assertThat(steps.get(i).path("value").asDouble()).as("%s: thresholds ascend", where)
                            .isGreaterThan(last);
                    last = steps.get(i).path("value").asDouble();
                }
            }
        }
    }

    @Test
    void linksPointAtDashboardsThatExistAndEveryDashboardLinksToTheOthers() {
        Set<String> uids = new HashSet<>();
        dashboards.forEach(d -> uids.add(d.path("uid").asText()));
        for (ObjectNode d : dashboards) {
            String uid = d.path("uid").asText();
            Set<String> targets = new TreeSet<>();
            Matcher m = DASHBOARD_URL.matcher(d.toString());
            while (m.find()) {
                targets.add(m.group(1));
            }
            assertThat(uids).as("%s links to", uid).containsAll(targets);
            Set<String> top = new TreeSet<>();
            for (JsonNode link : d.path("links")) {
                Matcher lm = DASHBOARD_URL.matcher(link.path("url").asText());
                assertThat(lm.find()).as("%s: link '%s' names a dashboard", uid, link.path("title")).isTrue();
                top.add(lm.group(1));
            }
            Set<String> others = new TreeSet<>(uids);
            others.remove(uid);
            assertThat(top).as("%s: navigation links", uid).isEqualTo(others);
        }
    }

    @Test
    void queriesUseOnlyDefinedVariablesTheWayGrafanaInterpolatesThem() {
        for (ObjectNode d : dashboards) {
            Map<String, Boolean> regexVariable = new HashMap<>();
            for (JsonNode v : d.path("templating").path("list")) {
                regexVariable.put(v.path("name").asText(),
                        v.path("multi").asBoolean() || v.path("includeAll").asBoolean());
            }
            List<DashboardQuery> queries = new ArrayList<>(DashboardFiles.variableQueries(d));
            queries.addAll(DashboardFiles.panelAndAnnotationQueries(d));
            for (DashboardQuery q : queries) {
                for (String name : QueryTemplate.variables(q.query())) {
                    assertThat(regexVariable).as("%s uses $%s", q, name).containsKey(name);
                    // A multi-value or All variable becomes a regex alternation: only valid inside /^...$/;
                    // a single-value one is inserted as is: only valid inside quotes.
                    if (regexVariable.get(name)) {
                        assertThat(q.query()).as("%s: $%s inside =~ /^$%s$/", q, name, name)
                                .doesNotContain("'$" + name + "'").contains("/^$" + name + "$/");
                    } else {
                        assertThat(q.query()).as("%s: $%s inside quotes", q, name)
                                .doesNotContain("/^$" + name + "$/").contains("'$" + name + "'");
                    }
                }
                if (q.kind() == DashboardFiles.Kind.VARIABLE) {
                    // Chained variables: a variable may only use the ones defined before it.
                    List<String> before = new ArrayList<>();
                    for (JsonNode v : d.path("templating").path("list")) {
                        if (v.path("name").asText().equals(q.owner())) {
                            break;
                        }
                        before.add(v.path("name").asText());
                    }
                    assertThat(before).as("%s uses earlier variables", q).containsAll(QueryTemplate.variables(q.query()));
                }
            }
        }
    }

    @Test
    void everyPanelQueryIsBoundedInTimeAndLargeMeasurementsAreQueriedNarrowly() {
        Pattern rawMeasurement = Pattern.compile("FROM \"(chip|link)\"");
        Pattern entityFilter = Pattern.compile("\"(chip|node|rack)\" = '\\$");
        for (ObjectNode d : dashboards) {
            for (JsonNode p : DashboardFiles.panels(d)) {
                for (JsonNode t : p.path("targets")) {
                    String q = t.path("query").asText();
                    String where = d.path("uid").asText() + ": '" + title(p) + "'";
                    assertThat(q.contains("$timeFilter") || q.contains("now() - "))
                            .as("%s is bounded in time: %s", where, q).isTrue();
                    // At 10,000 chips, `chip` holds 1M points per 10 min and `link` 8M: a panel reading them for the
                    // whole cluster must look at a few minutes only (relative time override), or at one entity.
                    if (rawMeasurement.matcher(q).find() && !entityFilter.matcher(q).find()) {
                        assertThat(p.path("timeFrom").asText()).as("%s reads chip/link cluster-wide: timeFrom", where)
                                .matches("([1-9]|[12][0-9]|30)m");
                    }
                }
            }
        }
    }

    @Test
    void panelsWithoutDataSayWhatIsMissing() {
        for (ObjectNode d : dashboards) {
            for (JsonNode p : DashboardFiles.panels(d)) {
                if ("text".equals(p.path("type").asText())) {
                    assertThat(p.path("options").path("content").asText())
                            .as("%s: text '%s'", d.path("uid").asText(), title(p))
                            .contains("Not in InfluxDB yet").contains("What it needs");
                }
            }
        }
    }

    /**
     * A panel of the alerts that are active now (the latest state change of each alert) keeps acknowledged alerts:
     * an acknowledged alert still fires, someone works on it. Tables of them show the state.
     */
    @Test
    void panelsOfActiveAlertsKeepAcknowledgedOnesAndTablesShowTheState() {
        Set<String> checked = new TreeSet<>();
        for (ObjectNode d : dashboards) {
            for (JsonNode p : DashboardFiles.panels(d)) {
                for (JsonNode t : p.path("targets")) {
                    String q = t.path("query").asText();
                    if (!q.contains("FROM \"alert\"") || !q.contains("last(\"summary\")")) {
                        continue;
                    }
                    String where = d.path("uid").asText() + " / " + title(p);
                    checked.add(where);
                    assertThat(q).as(where).doesNotContain("\"status\" = 'firing'")
                            .contains("\"status\" =~ /^(firing|acknowledged)$/");
                    if ("table".equals(p.path("type").asText())) {
                        assertThat(p.path("fieldConfig").path("overrides").toString()).as(where)
                                .contains("\"options\":\"status\"").contains("acknowledged");
                    }
                }
            }
        }
        assertThat(checked).containsExactly("chipwatch-alerts / Active alerts", "chipwatch-alerts / Critical firing now",
                "chipwatch-alerts / Firing now", "chipwatch-overview / Active alerts");
    }

    /** Every dashboard marks alerts and anomalies on its graphs, beside Grafana's own annotations. */
    @Test
    void everyDashboardAnnotatesAlertsAndAnomaliesBesideGrafanasOwn() {
        for (ObjectNode d : dashboards) {
            String uid = d.path("uid").asText();
            JsonNode list = d.path("annotations").path("list");
            assertThat(list.path(0).path("builtIn").asInt()).as("%s: Grafana's built-in annotation first", uid)
                    .isEqualTo(1);
            List<String> queries = new ArrayList<>();
            list.forEach(a -> queries.add(a.path("query").asText()));
            assertThat(queries).as("%s: an annotation on alerts", uid).anyMatch(q -> q.contains("FROM \"alert\""));
            assertThat(queries).as("%s: an annotation on anomalies", uid)
                    .anyMatch(q -> q.contains("FROM \"anomaly\""));
        }
    }

    /** A legend shows each series' current value (its last non-null one) first. */
    @Test
    void timeSeriesLegendsShowTheCurrentValue() {
        for (ObjectNode d : dashboards) {
            for (JsonNode p : DashboardFiles.panels(d)) {
                if ("timeseries".equals(p.path("type").asText())) {
                    assertThat(p.path("options").path("legend").path("calcs").path(0).asText())
                            .as("%s: '%s' legend", d.path("uid").asText(), title(p)).isEqualTo("lastNotNull");
                }
            }
        }
    }

    /**
     * The overview shows the fleet by rack as heatmaps (a colour per rack and time, no label per row), not as status
     * grids with a row of text per rack; and a freshness stat that turns orange, then red, when the data goes stale.
     */
    @Test
    void theOverviewHasFleetHeatmapsAndStalenessTurnsRed() {
        ObjectNode overview = dashboard("chipwatch-overview");
        List<JsonNode> panels = DashboardFiles.panels(overview);
        assertThat(panels).noneMatch(p -> "status-history".equals(p.path("type").asText()));
        for (String field : new String[]{"util_mean", "temp_max"}) {
            assertThat(panels).as("a heatmap of %s by rack", field).anyMatch(p -> "heatmap".equals(p.path("type").asText())
                    && p.path("targets").path(0).path("query").asText().contains("\"" + field + "\"")
                    && p.path("targets").path(0).path("query").asText().contains("FROM \"rack\"")
                    && "$tag_rack".equals(p.path("targets").path(0).path("alias").asText()));
        }
        for (String uid : new String[]{"chipwatch-overview", "chipwatch-pipeline"}) {
            JsonNode fresh = panel(dashboard(uid), "Data freshness");
            JsonNode steps = fresh.path("fieldConfig").path("defaults").path("thresholds").path("steps");
            assertThat(steps.path(0).path("color").asText()).as("%s: no data is red", uid).isEqualTo("red");
            assertThat(steps.path(1).path("color").asText()).as("%s: then orange", uid).isEqualTo("orange");
            assertThat(steps.path(2).path("color").asText()).as("%s: then green", uid).isEqualTo("green");
            assertThat(fresh.path("options").path("colorMode").asText()).isEqualTo("background");
            assertThat(fresh.path("timeFrom").asText()).as("%s: looks at the last minute", uid).isEqualTo("1m");
        }
    }

    /** An alert on a link opens the Links dashboard from its link column, with the link's pod and rack. */
    @Test
    void alertTablesLinkALinksAlertToTheLinksDashboard() {
        Set<String> checked = new TreeSet<>();
        for (ObjectNode d : dashboards) {
            for (JsonNode p : DashboardFiles.panels(d)) {
                String q = p.path("targets").path(0).path("query").asText();
                if (!"table".equals(p.path("type").asText()) || !q.contains("FROM \"alert\"")) {
                    continue;
                }
                String where = d.path("uid").asText() + " / " + title(p);
                checked.add(where);
                String linkColumn = null;
                for (JsonNode o : p.path("fieldConfig").path("overrides")) {
                    if ("link".equals(o.path("matcher").path("options").asText())) {
                        linkColumn = o.path("properties").toString();
                    }
                }
                assertThat(linkColumn).as(where).isNotNull()
                        .contains("/d/chipwatch-links?var-pod=${__data.fields.pod}&var-rack=${__data.fields.rack}");
            }
        }
        assertThat(checked).containsExactlyInAnyOrder("chipwatch-alerts / Active alerts",
                "chipwatch-alerts / Alert history", "chipwatch-drilldown / Alerts in rack $rack",
                "chipwatch-overview / Active alerts");
    }

    /** The capacity dashboard filters by pod, rack and job; the chip roll-up panels take all three. */
    @Test
    void capacityFiltersByPodRackAndJob() {
        ObjectNode capacity = dashboard("chipwatch-capacity");
        List<String> names = new ArrayList<>();
        capacity.path("templating").path("list").forEach(v -> {
            names.add(v.path("name").asText());
            assertThat(v.path("includeAll").asBoolean()).as("%s has All", v.path("name")).isTrue();
            assertThat(v.path("allValue").asText()).isEqualTo(".*");
        });
        assertThat(names).containsExactly("pod", "rack", "job");
        int chipPanels = 0;
        for (JsonNode p : DashboardFiles.panels(capacity)) {
            for (JsonNode t : p.path("targets")) {
                String q = t.path("query").asText();
                if (q.contains("\"chip_1h\"")) {
                    chipPanels++;
                    assertThat(q).as(title(p)).contains("\"pod\" =~ /^$pod$/ AND \"rack\" =~ /^$rack$/ AND "
                            + "\"job\" =~ /^$job$/");
                } else if (q.contains("\"pod_1")) {
                    assertThat(q).as(title(p)).contains("\"pod\" =~ /^$pod$/");
                } else {
                    assertThat(q).as(title(p)).contains("\"job\" =~ /^$job$/");
                }
            }
        }
        assertThat(chipPanels).isGreaterThanOrEqualTo(6);
        assertThat(panel(capacity, "By job: busy and idle chip-hours").path("targets").path(0).path("query").asText())
                .contains("AS \"busy_chip_hours\"").contains("AS \"idle_chip_hours\"").endsWith("GROUP BY \"job\"");
    }

    /**
     * The pipeline dashboard graphs the collector's and the alerting service's self-metrics from InfluxDB (where
     * they push them), by the measurement names Micrometer's InfluxDB registry gives them (PanelQueriesIT checks
     * that each query returns what the real classes pushed), and no longer says they are missing.
     */
    @Test
    void thePipelineDashboardGraphsTheCollectorsAndAlertingsSelfMetrics() {
        ObjectNode pipeline = dashboard("chipwatch-pipeline");
        Map<String, String> expected = Map.of(
                "Collector: samples per second", "\"chipwatch_collector_samples_dropped\"",
                "Collector: send buffer and skipped ticks", "\"chipwatch_collector_buffer_samples\"",
                "Alerting: notifications per minute", "\"chipwatch_alerting_notifications\"",
                "Alerting: alerts and anomalies received", "\"chipwatch_alerting_alerts\"");
        expected.forEach((title, measurement) -> {
            JsonNode p = panel(pipeline, title);
            assertThat(p.path("type").asText()).as(title).isEqualTo("timeseries");
            assertThat(p.path("targets").toString()).as(title).contains(measurement.replace("\"", "\\\""));
        });
        assertThat(pipeline.toString()).doesNotContain("Not in InfluxDB yet");
    }

    private ObjectNode dashboard(String uid) {
        return dashboards.stream().filter(d -> d.path("uid").asText().equals(uid)).findFirst().orElseThrow();
    }

    private static JsonNode panel(JsonNode dashboard, String title) {
        return DashboardFiles.panels(dashboard).stream().filter(p -> title(p).equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no panel '" + title + "' on " + dashboard.path("uid")));
    }

    private static void assertDatasource(JsonNode ds, String where) {
        assertThat(ds.path("uid").asText()).as("%s: datasource uid", where).isEqualTo(DATASOURCE_UID);
        assertThat(ds.path("type").asText()).as("%s: datasource type", where).isEqualTo("influxdb");
    }

    private static String title(JsonNode panel) {
        return panel.path("title").asText();
    }
}
