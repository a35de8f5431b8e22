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

    private static void assertDatasource(JsonNode ds, String where) {
        assertThat(ds.path("uid").asText()).as("%s: datasource uid", where).isEqualTo(DATASOURCE_UID);
        assertThat(ds.path("type").asText()).as("%s: datasource type", where).isEqualTo("influxdb");
    }

    private static String title(JsonNode panel) {
        return panel.path("title").asText();
    }
}
