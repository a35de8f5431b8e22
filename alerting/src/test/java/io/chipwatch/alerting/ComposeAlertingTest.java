package io.chipwatch.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chipwatch.model.influx.InfluxCredentials;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml's alerting service as its entrypoint runs it: the command's arguments parsed by
 * {@link AlertingMain} with the service's environment (compose's {@code ${VAR}} filled from a host environment), so
 * that the token, bind address and InfluxDB credentials compose sets are the ones the service takes.
 */
class ComposeAlertingTest {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*))?}");
    private static final Map<String, String> HOST = Map.of(
            "CHIPWATCH_ALERTING_TOKEN", "compose-token-0123456789",
            "CHIPWATCH_INFLUX_WRITER_PASSWORD", "writer-pw-from-host",
            "CHIPWATCH_INFLUX_READER_PASSWORD", "reader-pw-from-host",
            "CHIPWATCH_INFLUX_ADMIN_PASSWORD", "admin-pw-from-host");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        Path compose = Path.of(System.getProperty("user.dir")).getParent().resolve("docker-compose.yml");
        Map<String, Object> file = new ObjectMapper(new YAMLFactory()).readValue(compose.toFile(), Map.class);
        return ((Map<String, Map<String, Object>>) file.get("services")).get(name);
    }

    /** What compose does to a value: ${VAR} and ${VAR:-default} from the host's environment. */
    static String interpolate(Object value, Map<String, String> host) {
        Matcher m = VARIABLE.matcher(String.valueOf(value));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = host.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v != null && !v.isEmpty() ? v
                    : m.group(2) != null ? m.group(2) : ""));
        }
        return m.appendTail(out).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new HashMap<>();
        ((Map<String, Object>) service.get("environment")).forEach((k, v) -> env.put(k, interpolate(v, HOST)));
        return env;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAlertingServiceTakesItsTokenBindAndInfluxUserFromTheComposeEnvironment() throws IOException {
        Map<String, Object> alerting = service("alerting");
        List<String> command = ((List<Object>) alerting.get("command")).stream()
                .map(c -> interpolate(c, HOST)).toList();
        assertThat(command.subList(0, 3)).containsExactly("/chipwatch/dashboards/docker/java-service.sh", "alerting",
                AlertingMain.class.getName());
        Map<String, String> env = environment(alerting);
        for (String required : env.get("REQUIRED_ENV").split("\\s+")) {
            assertThat(env.get(required)).as("required %s", required).isNotBlank();
        }

        AlertingConfig config = AlertingMain.parse(env, command.subList(3, command.size()).toArray(String[]::new));

        assertThat(config.token).isEqualTo("compose-token-0123456789");
        assertThat(config.bindAddress).isEqualTo("0.0.0.0");
        String published = String.valueOf(((List<Object>) alerting.get("ports")).get(0));
        assertThat(published).isEqualTo("127.0.0.1:" + config.port + ":" + config.port);
        assertThat(config.influxCredentials).contains(new InfluxCredentials("chipwatch_writer", "writer-pw-from-host"));
        assertThat(command).noneMatch(a -> a.contains("pw-from-host") || a.contains("compose-token"));
    }

    @Test
    void influxDbCreatesTheUsersTheServicesLogInAs() throws IOException {
        Map<String, String> influx = environment(service("influxdb"));
        assertThat(influx).containsEntry("INFLUXDB_HTTP_AUTH_ENABLED", "true")
                .containsEntry("INFLUXDB_USER", "chipwatch_writer")
                .containsEntry("INFLUXDB_USER_PASSWORD", "writer-pw-from-host")
                .containsEntry("INFLUXDB_READ_USER", "chipwatch_reader")
                .containsEntry("INFLUXDB_READ_USER_PASSWORD", "reader-pw-from-host")
                .containsEntry("INFLUXDB_ADMIN_PASSWORD", "admin-pw-from-host");
        Map<String, String> grafana = environment(service("grafana"));
        assertThat(InfluxCredentials.resolve(Optional.empty(), grafana))
                .contains(new InfluxCredentials("chipwatch_reader", "reader-pw-from-host"));
    }
}
