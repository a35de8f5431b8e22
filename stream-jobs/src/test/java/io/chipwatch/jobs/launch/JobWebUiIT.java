package io.chipwatch.jobs.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.testsupport.ListeningSockets;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A MiniCluster with the jobs' web settings ({@link JobEnvironment#webConfiguration}) really listens on loopback only,
 * its REST API and every other server in this JVM (read from {@code /proc}), and refuses jar upload.
 */
class JobWebUiIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theRestApiListensOnLoopbackOnlyAndTakesNoJars() throws Exception {
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(JobEnvironment.webConfiguration(0, JobEnvironment.LOOPBACK))
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build();
        try (MiniCluster cluster = new MiniCluster(config)) {
            cluster.start();
            URI rest = cluster.getRestAddress().get(30, TimeUnit.SECONDS);
            assertThat(rest.getHost()).isEqualTo("127.0.0.1");

            List<ListeningSockets.Socket> sockets = ListeningSockets.onPort(rest.getPort());
            assertThat(sockets).as("sockets listening on port %d", rest.getPort()).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.address()).isEqualTo("127.0.0.1"));
            // The MiniCluster's other servers (blob server...) in this JVM: loopback too.
            assertThat(ListeningSockets.ofProcess(ProcessHandle.current().pid()))
                    .allSatisfy(s -> assertThat(s.loopback()).as(s.toString()).isTrue());

            JsonNode features = new ObjectMapper().readTree(get(rest.resolve("/config")).body()).get("features");
            assertThat(features.get("web-submit").asBoolean()).isFalse();
            assertThat(features.get("web-cancel").asBoolean()).isFalse();
            HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(rest.resolve("/jars/upload"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(404);
            assertThat(get(rest.resolve("/jars")).statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
