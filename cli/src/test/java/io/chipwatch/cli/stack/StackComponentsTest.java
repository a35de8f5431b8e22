package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.infra.kafka.KafkaCredentialFiles;
import io.chipwatch.infra.kafka.KafkaRole;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The descriptions of the stack's components: order, ports, addresses and the programs' arguments. */
class StackComponentsTest {

    @Test
    void componentsStartInTheirOrderOnTheirUsualPorts() {
        assertThat(LocalStack.COMPONENTS).containsExactly("influxdb", "kafka", "alertmanager", "flink", "detection",
                "alerting", "collector");
        assertThat(StackComponents.named(LocalStack.INFLUXDB).ports())
                .containsExactly(new Port("http", 8086), new Port("rpc", 8088));
        assertThat(StackComponents.named(LocalStack.KAFKA).ports())
                .containsExactly(new Port("broker", 9092), new Port("controller", 19093));
        assertThat(StackComponents.named(LocalStack.ALERTMANAGER).ports()).containsExactly(new Port("http", 9093));
        assertThat(StackComponents.named(LocalStack.FLINK).ports()).containsExactly(new Port("web", 8081));
        assertThat(StackComponents.named(LocalStack.DETECTION).ports()).containsExactly(new Port("web", 8082));
        assertThat(StackComponents.named(LocalStack.ALERTING).ports()).containsExactly(new Port("http", 9095));
        assertThat(StackComponents.named(LocalStack.COLLECTOR).ports()).containsExactly(new Port("metrics", 9400));
        assertThat(StackComponents.named(LocalStack.GRAFANA).ports()).containsExactly(new Port("http", 3000));
        assertThatThrownBy(() -> StackComponents.named("zookeeper")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyAddressComesFromTheStateFilesPort() {
        StackState state = new StackState();
        Map<String, String> ports = Map.of("influxdb", "http", "kafka", "broker", "alertmanager", "http",
                "flink", "web", "detection", "web", "alerting", "http", "collector", "metrics", "grafana", "http");
        int port = 20_000;
        for (var entry : ports.entrySet()) {
            assertThat(LocalStack.url(state, entry.getKey())).as(entry.getKey()).isNull();
            state.port(entry.getKey(), entry.getValue(), ++port);
        }
        state.port(LocalStack.INFLUXDB, "rpc", 1);
        state.port(LocalStack.KAFKA, "controller", 2);
        for (var entry : ports.entrySet()) {
            String expected = (entry.getKey().equals("kafka") ? "" : "http://") + "127.0.0.1:"
                    + state.port(entry.getKey(), entry.getValue());
            assertThat(LocalStack.url(state, entry.getKey())).as(entry.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void theJvmsGetTheAddressesOfWhatStartedBeforeThem() {
        StackState state = new StackState();
        state.port(LocalStack.KAFKA, "broker", 9092);
        state.port(LocalStack.INFLUXDB, "http", 8086);
        state.port(LocalStack.ALERTMANAGER, "http", 9093);
        StackLayout layout = new StackLayout(Path.of("/repo"));
        UpOptions options = new UpOptions(800, 3, Path.of("/s/scenario.yaml"), List.of("http://hook/x"));

        assertThat(StackComponents.aggregationJobArguments(launch(layout, state, options, LocalStack.FLINK, 8081)))
                .containsExactly("--bootstrap", "127.0.0.1:9092", "--topic", "chip-samples",
                        "--influx-url", "http://127.0.0.1:8086", "--influx-db", "telemetry",
                        "--influx-credentials-file", StackInflux.writerFile().toAbsolutePath().toString(), "--web-port", "8081",
                        "--chips", "800", "--checkpoint-dir", "/repo/var/flink/checkpoints",
                        "--restore-latest", "--group-id", "chipwatch-aggregation");
        assertThat(StackComponents.detectionJobArguments(launch(layout, state, options, LocalStack.DETECTION, 8082)))
                .containsExactly("--bootstrap", "127.0.0.1:9092", "--topic", "chip-samples",
                        "--anomalies-topic", "anomalies", "--influx-url", "http://127.0.0.1:8086",
                        "--influx-db", "telemetry",
                        "--influx-credentials-file", StackInflux.writerFile().toAbsolutePath().toString(),
                        "--web-port", "8082", "--chips", "800",
                        "--checkpoint-dir", "/repo/var/detection/checkpoints", "--restore-latest",
                        "--group-id", "chipwatch-detection");
        state.port(LocalStack.FLINK, "web", 8081);
        state.port(LocalStack.DETECTION, "web", 8082);
        assertThat(StackComponents.alertingArguments(launch(layout, state, options, LocalStack.ALERTING, 9095)))
                .containsSequence("--alertmanager-url", "http://127.0.0.1:9093", "--port", "9095")
                .containsSequence("--watch-job", "flink=http://127.0.0.1:8081", "--watch-job",
                        "detection=http://127.0.0.1:8082")
                .containsSequence("--influx-credentials-file", StackInflux.writerFile().toString())
                .doesNotContain("--webhook", "--webhooks-file")
                .noneMatch(a -> a.contains("hook/x"));
        assertThat(StackComponents.collectorArguments(launch(layout, state, options, LocalStack.COLLECTOR, 9400)))
                .containsSequence("--chips", "800", "--seed", "3", "--metrics-port", "9400")
                .containsSequence("--token-file", LocalStack.collectorTokenFile().toString())
                // Its own meters go to InfluxDB as the writer (the pipeline dashboard's collector panels).
                .containsSequence("--influx-url", "http://127.0.0.1:8086", "--influx-db", "telemetry",
                        "--influx-credentials-file", StackInflux.writerFile().toString())
                // A restarted simulator goes on from where the dies were.
                .containsSequence("--state-file", layout.data(LocalStack.COLLECTOR).resolve("thermal.state")
                        .toAbsolutePath().toString())
                .endsWith("--scenario", "/s/scenario.yaml");
    }

    @Test
    void theLocalAlertmanagerPagesTheWebhooksUpWasGivenAndNobodyWithout() {
        assertThat(StackComponents.alertmanagerConfig(new UpOptions(8, 1, null, List.of("http://hook/x",
                "oncall=https://pager.example/hook?k=v=w"))).render())
                .contains("receiver: chipwatch-webhook", "url: 'http://hook/x'",
                        "url: 'https://pager.example/hook?k=v=w'", "matchers: ['alertname=\"Watchdog\"']",
                        // The alerting service already waited each rule's group_wait: no second wait.
                        "group_wait: 0s", "group_interval: 10s");
        assertThat(StackComponents.alertmanagerConfig(new UpOptions(8, 1, null, List.of())).render())
                .contains("receiver: chipwatch-null").doesNotContain("webhook_configs");
    }

    @Test
    void whereKafkaAuthenticatesEachComponentGetsItsOwnCredentialsFilePathNeverAPassword() {
        StackState state = new StackState();
        state.port(LocalStack.KAFKA, "broker", 9092);
        state.port(LocalStack.INFLUXDB, "http", 8086);
        state.port(LocalStack.ALERTMANAGER, "http", 9093);
        state.kafkaSasl = true;
        StackLayout layout = new StackLayout(Path.of("/repo"));
        UpOptions options = new UpOptions(800, 3);
        Path dir = KafkaCredentialFiles.inConfigDir().dir();
        assertThat(StackComponents.aggregationJobArguments(launch(layout, state, options, LocalStack.FLINK, 8081)))
                .containsSequence("--kafka-credentials", dir.resolve("kafka-aggregation.properties").toString());
        assertThat(StackComponents.detectionJobArguments(launch(layout, state, options, LocalStack.DETECTION, 8082)))
                .containsSequence("--kafka-credentials", dir.resolve("kafka-detection.properties").toString());
        assertThat(StackComponents.alertingArguments(launch(layout, state, options, LocalStack.ALERTING, 9095)))
                .containsSequence("--kafka-credentials", dir.resolve("kafka-alerting.properties").toString());
        assertThat(StackComponents.collectorArguments(launch(layout, state, options, LocalStack.COLLECTOR, 9400)))
                .containsSequence("--kafka-credentials", dir.resolve("kafka-collector.properties").toString());
        assertThat(LocalStack.kafkaCredentials(state, KafkaRole.ADMIN)).isEqualTo(dir.resolve("kafka-admin.properties"));
        // A stack started PLAINTEXT (an older version) keeps PLAINTEXT clients.
        state.kafkaSasl = null;
        assertThat(StackComponents.collectorArguments(launch(layout, state, options, LocalStack.COLLECTOR, 9400)))
                .doesNotContain("--kafka-credentials");
        assertThat(LocalStack.kafkaAdminSettings(state)).isEmpty();
    }

    @Test
    void theAclsNameTheTopicsAndGroupsTheComponentsUse() {
        assertThat(StackComponents.KAFKA_NAMES.samples()).isEqualTo(LocalStack.SAMPLES_TOPIC);
        assertThat(StackComponents.KAFKA_NAMES.anomalies()).isEqualTo(LocalStack.ANOMALIES_TOPIC);
        assertThat(StackComponents.KAFKA_NAMES.deadLetter()).isEqualTo(LocalStack.DEAD_LETTER_TOPIC);
        assertThat(StackComponents.KAFKA_NAMES.alertingState()).isEqualTo("alerting-state");
        assertThat(StackComponents.KAFKA_NAMES.alertingGroup()).isEqualTo("chipwatch-alerting");
    }

    @Test
    void aRealFleetIsScrapedByTheCollectorAndTheJobsAcceptItsChipIds() {
        StackState state = new StackState();
        state.port(LocalStack.KAFKA, "broker", 9092);
        state.port(LocalStack.INFLUXDB, "http", 8086);
        StackLayout layout = new StackLayout(Path.of("/repo"));
        UpOptions options = new UpOptions(800, 3, null, List.of(), Path.of("/etc/chipwatch/targets.json"));
        assertThat(StackComponents.collectorArguments(launch(layout, state, options, LocalStack.COLLECTOR, 9400)))
                .containsSequence("--source", "prometheus", "--targets", "/etc/chipwatch/targets.json",
                        "--anomalies-topic", "anomalies")
                .doesNotContain("--state-file");
        assertThat(StackComponents.aggregationJobArguments(launch(layout, state, options, LocalStack.FLINK, 8081)))
                .containsSequence("--chips", "0");
        assertThat(StackComponents.detectionJobArguments(launch(layout, state, options, LocalStack.DETECTION, 8082)))
                .containsSequence("--chips", "0");
    }

    private static Launch launch(StackLayout layout, StackState state, UpOptions options, String component,
                                 int port) {
        StackComponent c = StackComponents.named(component);
        return new Launch(layout, state, options, c, Map.of(c.ports().get(0).name(), port),
                new PrintStream(new ByteArrayOutputStream()));
    }
}
