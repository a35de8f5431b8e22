package io.chipwatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.dashboards.DashboardFiles.DashboardQuery;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.chipwatch.dashboards.DashboardFiles.DATASOURCE_UID;
import static io.chipwatch.dashboards.DashboardFiles.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Grafana ({@value #IMAGE}) in a container, provisioned from this module's files exactly as
 * docker-compose mounts them, pointed at the InfluxDB the real pipeline filled ({@link PipelineFixture}): the
 * datasource is healthy, every dashboard is provisioned under its uid, and every panel, variable and annotation
 * query returns data through Grafana's own query API ({@code /api/ds/query}: Grafana fills {@code $timeFilter} and
 * {@code $__interval} itself; the test fills the template variables as the dashboard would on load).
 *
 * <p>Runs only where a Docker engine answers (Grafana is not packaged for Debian, so there is no local-process
 * variant); elsewhere JUnit reports it skipped with the reason. {@link PanelQueriesIT} runs the same queries
 * against InfluxDB everywhere.
 */
@ExtendWith(RealInfrastructureExtension.class)
@EnabledIf(value = "dockerAnswers", disabledReason = "no Docker engine answers (no DOCKER_HOST, no Docker socket, or "
        + "Testcontainers cannot reach it): Grafana runs only in a container here; PanelQueriesIT runs the same "
        + "queries against InfluxDB")
class GrafanaDashboardsIT {

    static final String IMAGE = "grafana/grafana:12.2.1";
    private static final String DASHBOARDS_MOUNT = "/var/lib/grafana/dashboards";

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static PipelineFixture fixture;
    private static GenericContainer<?> grafana;
    private static String authorization;

    /** Like test-support's InfraMode: ask Testcontainers only when something hints at an engine. */
    static boolean dockerAnswers() {
        boolean hint = notBlank(System.getenv("DOCKER_HOST"))
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home", ""), ".testcontainers.properties"))
                || Files.exists(Path.of(System.getProperty("user.home", ""), ".docker/run/docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @BeforeAll
    static void startGrafana(KafkaService kafka, InfluxService influx) throws Exception {
        fixture = PipelineFixture.get(kafka, influx);
        // Grafana reaches the InfluxDB (a local process, or a container's port mapped on the host) through the host.
        int influxPort = URI.create(influx.url()).getPort();
        Testcontainers.exposeHostPorts(influxPort);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        authorization = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                .getBytes(StandardCharsets.UTF_8));
        grafana = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withEnv("GF_SECURITY_ADMIN_PASSWORD", password)
                .withEnv("GF_ANALYTICS_REPORTING_ENABLED", "false")
                .withEnv("GF_ANALYTICS_CHECK_FOR_UPDATES", "false")
                .withEnv("GF_PLUGINS_PREINSTALL_DISABLED", "true")
                .withEnv("CHIPWATCH_INFLUX_URL", "http://host.testcontainers.internal:" + influxPort)
                .withEnv("CHIPWATCH_INFLUX_DB", fixture.database)
                .withEnv("CHIPWATCH_INFLUX_USER", "")
                .withEnv("CHIPWATCH_INFLUX_PASSWORD", "")
                .withEnv("CHIPWATCH_DASHBOARDS_DIR", DASHBOARDS_MOUNT)
                .withCopyFileToContainer(MountableFile.forHostPath(DashboardFiles.provisioningDir()),
                        "/etc/grafana/provisioning")
                .withCopyFileToContainer(MountableFile.forHostPath(DashboardFiles.dashboardsDir()), DASHBOARDS_MOUNT)
                .withExposedPorts(3000)
                .waitingFor(Wait.forHttp("/api/health").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        grafana.start();
    }

    @AfterAll
    static void stopGrafana() {
        if (grafana != null) {
            grafana.stop();
        }
    }

    @Test
    void theDatasourceIsProvisionedFromTheEnvironmentAndHealthy() throws Exception {
        JsonNode ds = get("/api/datasources/uid/" + DATASOURCE_UID);
        assertThat(ds.path("type").asText()).isEqualTo("influxdb");
        assertThat(ds.path("url").asText()).startsWith("http://host.testcontainers.internal:");
        assertThat(ds.path("jsonData").path("dbName").asText()).isEqualTo(fixture.database);
        JsonNode health = get("/api/datasources/uid/" + DATASOURCE_UID + "/health");
        assertThat(health.path("status").asText()).as("datasource health: %s", health).isEqualTo("OK");
    }

    @Test
    void everyDashboardIsProvisionedUnderItsUidInTheChipwatchFolder() throws Exception {
        for (ObjectNode file : DashboardFiles.dashboards()) {
            String uid = file.path("uid").asText();
            JsonNode answer = get("/api/dashboards/uid/" + uid);
            assertThat(answer.path("meta").path("provisioned").asBoolean()).as("%s provisioned", uid).isTrue();
            assertThat(answer.path("meta").path("folderTitle").asText()).as("%s folder", uid).isEqualTo("Chipwatch");
            assertThat(answer.path("dashboard").path("title").asText()).isEqualTo(file.path("title").asText());
            assertThat(DashboardFiles.panels(answer.path("dashboard")))
                    .as("%s panels", uid).hasSameSizeAs(DashboardFiles.panels(file));
        }
    }

    @TestFactory
    Stream<DynamicNode> everyQueryReturnsDataThroughGrafana() {
        long to = System.currentTimeMillis();
        List<DynamicNode> perDashboard = new ArrayList<>();
        for (ObjectNode d : DashboardFiles.dashboards()) {
            DashboardVariables vars;
            try (Influx influx = fixture.influx()) {
                vars = DashboardVariables.resolve(d, influx, fixture.fromMillis, to);
            }
            List<DynamicNode> tests = new ArrayList<>();
            List<DashboardQuery> queries = new ArrayList<>(DashboardFiles.variableQueries(d));
            queries.addAll(DashboardFiles.panelAndAnnotationQueries(d));
            for (DashboardQuery q : queries) {
                String filled = QueryTemplate.fillVariables(q.query(), vars.values(), vars.regex());
                tests.add(DynamicTest.dynamicTest(q + " " + vars.named(q.query()),
                        () -> assertGrafanaReturnsData(q, filled, vars, to)));
            }
            perDashboard.add(DynamicContainer.dynamicContainer(d.path("uid").asText(), tests));
        }
        return perDashboard.stream();
    }

    private static void assertGrafanaReturnsData(DashboardQuery q, String filled, DashboardVariables vars, long to)
            throws Exception {
        ObjectNode query = JSON.createObjectNode();
        query.put("refId", "A");
        query.set("datasource", JSON.valueToTree(Map.of("type", "influxdb", "uid", DATASOURCE_UID)));
        query.put("rawQuery", true);
        query.put("query", filled);
        query.put("resultFormat", q.resultFormat() == null ? "table" : q.resultFormat());
        query.put("intervalMs", q.minInterval() == null ? 10_000 : QueryTemplate.IntervalMath.millis(q.minInterval()));
        query.put("maxDataPoints", 500);
        ObjectNode body = JSON.createObjectNode();
        body.put("from", Long.toString(fixture.fromMillis));
        body.put("to", Long.toString(to));
        ((ArrayNode) body.putArray("queries")).add(query);

        JsonNode answer = post("/api/ds/query", body);
        JsonNode result = answer.path("results").path("A");
        assertThat(result.path("error").isMissingNode() || result.path("error").asText().isEmpty())
                .as("%s: Grafana error %s for %s", q, result.path("error"), filled).isTrue();
        Map<String, String> restricted = vars.restrictions(q.query());
        boolean anyValue = false;
        for (JsonNode frame : result.path("frames")) {
            JsonNode fields = frame.path("schema").path("fields");
            JsonNode values = frame.path("data").path("values");
            for (int i = 0; i < fields.size(); i++) {
                JsonNode field = fields.get(i);
                field.path("labels").fields().forEachRemaining(label -> {
                    if (restricted.containsKey(label.getKey())) {
                        assertThat(label.getValue().asText()).as("%s: label %s", q, label.getKey())
                                .isEqualTo(restricted.get(label.getKey()));
                    }
                });
                if ("time".equals(field.path("type").asText())) {
                    continue;
                }
                for (JsonNode v : values.path(i)) {
                    if (!v.isNull()) {
                        anyValue = true;
                        String name = field.path("name").asText();
                        if (restricted.containsKey(name)) {
                            assertThat(v.asText()).as("%s: column %s", q, name).isEqualTo(restricted.get(name));
                        }
                    }
                }
            }
        }
        assertThat(anyValue).as("%s returns data through Grafana: %s", q, answer).isTrue();
    }

    private static JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static JsonNode post(String path, JsonNode body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static URI uri(String path) {
        return URI.create("http://" + grafana.getHost() + ":" + grafana.getMappedPort(3000) + path);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
