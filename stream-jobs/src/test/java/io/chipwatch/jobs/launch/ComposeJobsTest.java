package io.chipwatch.jobs.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.jobs.detection.DetectionJobConfig;
import io.chipwatch.model.influx.InfluxCredentials;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml's jobs as the session cluster runs them: {@code JOB_ARGS} parsed by the jobs' own command lines,
 * and the InfluxDB credentials their sinks and metric reporter find in the TaskManager's and JobManager's
 * environment (compose's {@code ${VAR}} filled from a host environment): the writer, no password in the arguments.
 */
class ComposeJobsTest {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*))?}");
    private static final Map<String, String> HOST = Map.of("CHIPWATCH_INFLUX_WRITER_PASSWORD", "writer-pw-from-host");
    private static final InfluxCredentials WRITER = new InfluxCredentials("chipwatch_writer", "writer-pw-from-host");

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) throws IOException {
        Path compose = Path.of(System.getProperty("user.dir")).getParent().resolve("docker-compose.yml");
        Map<String, Object> file = new ObjectMapper(new YAMLFactory()).readValue(compose.toFile(), Map.class);
        Map<String, Object> s = ((Map<String, Map<String, Object>>) file.get("services")).get(service);
        Map<String, String> env = new HashMap<>();
        ((Map<String, Object>) s.get("environment")).forEach((k, v) -> {
            Matcher m = VARIABLE.matcher(String.valueOf(v));
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = HOST.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value
                        : m.group(2) != null ? m.group(2) : ""));
            }
            env.put(k, m.appendTail(out).toString());
        });
        return env;
    }

    @Test
    void bothJobsWriteAsTheWriterFromTheClustersEnvironment() throws IOException {
        AggregationJobConfig aggregation = AggregationJobConfig.fromArgs(
                environment("flink-submit").get("JOB_ARGS").trim().split("\\s+"));
        DetectionJobConfig detection = DetectionJobConfig.fromArgs(
                environment("flink-submit-detection").get("JOB_ARGS").trim().split("\\s+"));
        assertThat(aggregation.job().influxCredentialsFile()).isEmpty();
        assertThat(detection.job().influxCredentialsFile()).isEmpty();
        for (String where : new String[]{"flink-taskmanager", "flink-jobmanager"}) {
            assertThat(InfluxCredentials.resolve(aggregation.job().influxCredentialsFile(), environment(where)))
                    .as(where).contains(WRITER);
        }
        assertThat(environment("flink-submit").get("JOB_ARGS")).doesNotContain("pw");
    }
}
