package io.chipwatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.chipwatch.dashboards.DashboardFiles.DATASOURCE_UID;
import static org.assertj.core.api.Assertions.assertThat;

/** Grafana's provisioning: the datasource every dashboard names, configured from the environment only. */
class ProvisioningTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ENV_ONLY = Pattern.compile("\\$\\{CHIPWATCH_[A-Z_]+}");

    @Test
    void theDatasourceIsInfluxQlWithTheUidTheDashboardsUseAndEverythingFromTheEnvironment() throws IOException {
        JsonNode file = YAML.readTree(DashboardFiles.provisioningDir().resolve("datasources/influxdb.yaml").toFile());
        assertThat(file.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(file.path("datasources")).hasSize(1);
        JsonNode ds = file.path("datasources").get(0);
        assertThat(ds.path("uid").asText()).isEqualTo(DATASOURCE_UID);
        assertThat(ds.path("type").asText()).isEqualTo("influxdb");
        assertThat(ds.path("access").asText()).isEqualTo("proxy");
        assertThat(ds.path("jsonData").path("version").asText()).isEqualTo("InfluxQL");
        assertThat(ds.path("jsonData").path("timeInterval").asText()).isEqualTo("10s");
        assertThat(ds.path("url").asText()).matches(ENV_ONLY);
        assertThat(ds.path("database").asText()).matches(ENV_ONLY);
        assertThat(ds.path("jsonData").path("dbName").asText()).isEqualTo(ds.path("database").asText());
        assertThat(ds.path("user").asText()).matches(ENV_ONLY);
        // The password is only ever a reference to the environment, and only in the encrypted part.
        assertThat(ds.path("secureJsonData").path("password").asText()).matches(ENV_ONLY);
        assertThat(ds.has("password")).isFalse();
        assertThat(ds.path("jsonData").has("password")).isFalse();
    }

    @Test
    void theDashboardProviderLoadsTheDashboardFolderByUidIntoOneFolder() throws IOException {
        JsonNode file = YAML.readTree(DashboardFiles.provisioningDir().resolve("dashboards/chipwatch.yaml").toFile());
        JsonNode provider = file.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("folder").asText()).isEqualTo("Chipwatch");
        assertThat(provider.path("allowUiUpdates").asBoolean()).isFalse();
        assertThat(provider.path("options").path("path").asText()).matches(ENV_ONLY);
    }

    @Test
    void noProvisioningFileHoldsALiteralSecret() throws IOException {
        Pattern secretKey = Pattern.compile("(?i)^\\s*(password|secret|token|apiKey)\\s*:\\s*(.*)$");
        try (Stream<Path> files = Files.walk(DashboardFiles.provisioningDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(f)) {
                    var m = secretKey.matcher(line);
                    if (m.matches()) {
                        assertThat(m.group(2).trim()).as("%s: %s", f, line).matches(ENV_ONLY);
                    }
                }
            }
        }
    }
}
