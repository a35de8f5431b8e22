package io.chipwatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The module's files as the tests see them: the dashboard JSON under {@code dashboards/dashboards}, the provisioning
 * under {@code dashboards/provisioning}, the repository's {@code docker-compose.yml}; and every InfluxQL query a
 * dashboard holds (panel targets, template variables, annotations).
 */
final class DashboardFiles {

    /** The uid of the provisioned datasource; every query must name it. */
    static final String DATASOURCE_UID = "chipwatch-influxdb";

    static final ObjectMapper JSON = new ObjectMapper();

    private DashboardFiles() {
    }

    /** The module folder: the system property Maven sets, else the working directory (Maven runs tests there). */
    static Path moduleDir() {
        String dir = System.getProperty("chipwatch.dashboards.dir");
        Path path = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(path.resolve("provisioning"))) {
            throw new IllegalStateException("not the dashboards module: " + path);
        }
        return path;
    }

    static Path dashboardsDir() {
        return moduleDir().resolve("dashboards");
    }

    static Path provisioningDir() {
        return moduleDir().resolve("provisioning");
    }

    static Path repositoryRoot() {
        return moduleDir().getParent();
    }

    /** Every {@code *.json} of the dashboards folder, sorted by name. */
    static List<Path> dashboardPaths() {
        try (Stream<Path> files = Files.list(dashboardsDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode read(Path path) {
        try {
            return (ObjectNode) JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + path, e);
        }
    }

    static List<ObjectNode> dashboards() {
        return dashboardPaths().stream().map(DashboardFiles::read).toList();
    }

    /** Every panel, rows' nested panels included (collapsed rows keep theirs inside). */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            for (JsonNode nested : p.path("panels")) {
                out.add(nested);
            }
        }
        return out;
    }

    /** What a query belongs to, for messages and for choosing the interval. */
    enum Kind { PANEL, VARIABLE, ANNOTATION }

    /**
     * One InfluxQL statement of a dashboard.
     *
     * @param dashboardUid the dashboard
     * @param owner        panel title, variable name or annotation name
     * @param kind         what holds it
     * @param refId        the target's refId (panels), else the owner
     * @param query        the raw InfluxQL with Grafana's macros and variables in it
     * @param minInterval  the panel's minimum interval ("1m"), or null
     * @param resultFormat time_series or table (panels), null otherwise
     */
    record DashboardQuery(String dashboardUid, String owner, Kind kind, String refId, String query,
                          String minInterval, String resultFormat) {
        @Override
        public String toString() {
            return dashboardUid + " / " + kind.name().toLowerCase() + " '" + owner + "'"
                    + (kind == Kind.PANEL ? " " + refId : "");
        }
    }

    /** Variable queries in their order (a later one may use an earlier one). */
    static List<DashboardQuery> variableQueries(JsonNode dashboard) {
        String uid = dashboard.path("uid").asText();
        List<DashboardQuery> out = new ArrayList<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) {
                continue;
            }
            JsonNode q = v.path("query");
            String text = q.isTextual() ? q.asText() : q.path("query").asText();
            out.add(new DashboardQuery(uid, v.path("name").asText(), Kind.VARIABLE, v.path("name").asText(), text,
                    null, null));
        }
        return out;
    }

    /** Every panel target and annotation query. */
    static List<DashboardQuery> panelAndAnnotationQueries(JsonNode dashboard) {
        String uid = dashboard.path("uid").asText();
        List<DashboardQuery> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                out.add(new DashboardQuery(uid, p.path("title").asText(), Kind.PANEL, t.path("refId").asText(),
                        t.path("query").asText(), p.hasNonNull("interval") ? p.get("interval").asText() : null,
                        t.path("resultFormat").asText("time_series")));
            }
        }
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            if (a.path("builtIn").asInt(0) == 1) {
                continue;
            }
            String text = a.hasNonNull("query") ? a.get("query").asText() : a.path("target").path("query").asText();
            out.add(new DashboardQuery(uid, a.path("name").asText(), Kind.ANNOTATION, a.path("name").asText(), text,
                    null, "table"));
        }
        return out;
    }
}
