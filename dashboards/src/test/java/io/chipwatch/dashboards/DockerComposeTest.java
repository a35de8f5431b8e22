package io.chipwatch.dashboards;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The repository's docker-compose.yml: the whole stack, pinned images, health checks, secrets only from the
 * environment, Grafana provisioned from this module; and, where Debian's docker-compose is installed, its own
 * validation ({@code docker-compose -f docker-compose.yml config -q}).
 */
class DockerComposeTest {

    private static final Path COMPOSE = DashboardFiles.repositoryRoot().resolve("docker-compose.yml");
    private static final Set<String> ONE_SHOT = Set.of("kafka-init");
    private static final Pattern SECRET_KEY = Pattern.compile(".*(PASSWORD|TOKEN|SECRET).*");
    /** ${VAR} or ${VAR:-} (empty default): never a literal, never a non-empty default. */
    private static final Pattern FROM_ENVIRONMENT = Pattern.compile("\\$\\{[A-Z0-9_]+(:-)?}");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        try (Reader r = Files.newBufferedReader(COMPOSE, StandardCharsets.UTF_8)) {
            return new Yaml().load(r);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    @Test
    void theWholeStackIsThereWithPinnedImagesAndHealthChecks() throws IOException {
        assertThat(String.valueOf(compose().get("version"))).startsWith("3.");
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsKeys("kafka", "influxdb", "flink-jobmanager", "flink-taskmanager",
                "flink-submit", "flink-submit-detection", "collector", "alerting", "alertmanager", "grafana");
        services.forEach((name, s) -> {
            String image = String.valueOf(s.get("image"));
            assertThat(image).as("%s image", name).matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+")
                    .doesNotEndWith(":latest");
            assertThat(image.substring(image.indexOf(':') + 1)).as("%s image tag is a version", name)
                    .matches("v?\\d+(\\.\\d+)+.*");
            if (!ONE_SHOT.contains(name)) {
                assertThat(s).as("%s has a health check", name).containsKey("healthcheck");
                assertThat(String.valueOf(s.get("restart"))).as("%s restarts", name).isEqualTo("unless-stopped");
            }
        });
        assertThat(String.valueOf(services.get("kafka").get("environment"))).contains("KAFKA_PROCESS_ROLES=broker,controller");
        assertThat(String.valueOf(services.get("alerting").get("command"))).contains("io.chipwatch.alerting.AlertingMain");
        assertThat(String.valueOf(services.get("collector").get("command"))).contains("io.chipwatch.collector.CollectorMain");
        // Killed, Alertmanager keeps only the notification log it last wrote: every second, not every 15 min.
        assertThat(String.valueOf(services.get("alertmanager").get("command")))
                .contains("--data.maintenance-interval=1s");
        assertThat(String.valueOf(services.get("flink-submit").get("environment")))
                .contains("--bootstrap kafka:9092").contains("--influx-url http://influxdb:8086");
        assertThat(String.valueOf(services.get("flink-submit-detection").get("environment")))
                .contains("io.chipwatch.jobs.detection.DetectionJob").contains("--anomalies-topic anomalies");
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsComeOnlyFromTheEnvironmentAndPortsOnlyFromLoopback() throws IOException {
        services().forEach((name, s) -> {
            Object env = s.get("environment");
            if (env instanceof Map<?, ?> map) {
                map.forEach((key, value) -> {
                    if (SECRET_KEY.matcher(String.valueOf(key)).matches() && !String.valueOf(key).endsWith("_FILE")) {
                        assertThat(String.valueOf(value)).as("%s: %s", name, key).matches(FROM_ENVIRONMENT);
                    }
                });
            }
            for (Object port : (List<Object>) s.getOrDefault("ports", List.of())) {
                assertThat(String.valueOf(port)).as("%s port", name).startsWith("127.0.0.1:");
            }
        });
        // Grafana must not fall back to its built-in admin/admin.
        Map<String, Object> grafana = services().get("grafana");
        assertThat(String.valueOf(grafana.get("entrypoint"))).contains("GF_SECURITY_ADMIN_PASSWORD").contains("exit 1");
        assertThat(String.valueOf(services().get("alerting").get("environment")))
                .contains("REQUIRED_ENV=CHIPWATCH_ALERTING_TOKEN");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaIsProvisionedFromThisModuleWithEveryVariableTheProvisioningReads() throws IOException {
        Map<String, Object> grafana = services().get("grafana");
        List<String> volumes = (List<String>) grafana.get("volumes");
        assertThat(volumes).contains("./dashboards/provisioning:/etc/grafana/provisioning:ro",
                "./dashboards/dashboards:/var/lib/grafana/dashboards:ro");
        Map<String, Object> env = (Map<String, Object>) grafana.get("environment");
        Set<String> needed = new HashSet<>();
        try (var files = Files.walk(DashboardFiles.provisioningDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = Pattern.compile("\\$\\{(CHIPWATCH_[A-Z_]+)}").matcher(Files.readString(f));
                while (m.find()) {
                    needed.add(m.group(1));
                }
            }
        }
        assertThat(needed).isNotEmpty();
        assertThat(env.keySet()).containsAll(needed);
        assertThat(env.get("CHIPWATCH_DASHBOARDS_DIR")).isEqualTo("/var/lib/grafana/dashboards");
    }

    @Test
    void theScriptsTheServicesRunExistAndAreExecutable() throws IOException {
        Matcher m = Pattern.compile("/chipwatch/(dashboards/docker/[\\w.-]+)").matcher(Files.readString(COMPOSE));
        Set<String> scripts = new HashSet<>();
        while (m.find()) {
            scripts.add(m.group(1));
        }
        assertThat(scripts).contains("dashboards/docker/flink.sh", "dashboards/docker/flink-submit.sh",
                "dashboards/docker/java-service.sh");
        for (String script : scripts) {
            Path p = DashboardFiles.repositoryRoot().resolve(script);
            assertThat(p).as(script).isRegularFile();
            assertThat(Files.isExecutable(p)).as("%s is executable", script).isTrue();
        }
    }

    @Test
    void dockerComposeValidatesTheFile() throws Exception {
        Path binary = Stream.of("/usr/bin/docker-compose", "/usr/local/bin/docker-compose").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(binary != null, "docker-compose is not installed (apt-get install --no-install-recommends "
                + "docker-compose); the structure is checked by the other tests");
        Process p = new ProcessBuilder(binary.toString(), "-f", COMPOSE.toString(), "config", "-q")
                .directory(DashboardFiles.repositoryRoot().toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
