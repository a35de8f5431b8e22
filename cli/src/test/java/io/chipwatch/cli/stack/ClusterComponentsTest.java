package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.infra.ChipwatchHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterComponentsTest {

    @Test
    void aClusterStackNamesEveryMemberInStartOrder() {
        ClusterSize size = new ClusterSize(3, 2);
        assertThat(ClusterComponents.names(size)).containsExactly("influxdb", "kafka-1", "kafka-2", "kafka-3",
                "alertmanager", "jobmanager", "taskmanager-1", "taskmanager-2", "flink", "detection", "alerting",
                "collector");
        // down stops processes only: the jobs' pid is the JobManager's.
        assertThat(ClusterComponents.processes(size)).doesNotContain("flink", "detection").contains("jobmanager");
        assertThat(LocalStack.componentNames(null)).isEqualTo(LocalStack.COMPONENTS);
        assertThat(LocalStack.componentNames(new ClusterSize(5, 3))).contains("kafka-5", "taskmanager-3")
                .doesNotContain("kafka", "kafka-6", "taskmanager-4");
    }

    @Test
    void sizesOutsideTheLimitsAreRefusedNamingTheOption() {
        assertThat(ClusterSize.problem(3, 2)).isNull();
        assertThat(ClusterSize.problem(2, 2)).startsWith("--brokers must be 3 to 9");
        assertThat(ClusterSize.problem(10, 2)).startsWith("--brokers");
        assertThat(ClusterSize.problem(3, 9)).isEqualTo("--taskmanagers must be 1 to 8, got 9");
        assertThatThrownBy(() -> new ClusterSize(3, 0)).hasMessageStartingWith("--taskmanagers");
    }

    @Test
    void eachJobRunsOneSubtaskPerTaskManagerAndTheSurvivorsOfALostOneHoldBoth() {
        assertThat(new ClusterSize(3, 2).parallelism()).isEqualTo(2);
        assertThat(new ClusterSize(3, 2).slotsPerTaskManager()).isEqualTo(8);
        assertThat(new ClusterSize(3, 1).parallelism()).isEqualTo(1);
        for (int tms = 2; tms <= ClusterSize.MAX_TASKMANAGERS; tms++) {
            ClusterSize size = new ClusterSize(3, tms);
            assertThat(size.parallelism()).as("parallelism at %d TaskManagers", tms).isEqualTo(tms);
            // Both jobs at full parallelism on the TaskManagers left after one is lost, twice over.
            assertThat((tms - 1) * size.slotsPerTaskManager()).as("slots left at %d TaskManagers", tms)
                    .isGreaterThanOrEqualTo(2 * 2 * size.parallelism());
        }
    }

    @Test
    void theStateKnowsTheClusterAndKafkaIsEveryBroker(@TempDir Path dir) throws Exception {
        StackState state = new StackState();
        state.cluster = new ClusterSize(3, 2);
        state.port("kafka-1", "broker", 29091);
        state.port("kafka-2", "broker", 29092);
        state.port("kafka-3", "broker", 29093);
        state.port("jobmanager", "rest", 8081);
        state.port("flink", "web", 8081);
        Path file = dir.resolve("stack.json");
        state.save(file);

        StackState loaded = StackState.load(file);
        assertThat(loaded.cluster).isEqualTo(new ClusterSize(3, 2));
        assertThat(LocalStack.url(loaded, LocalStack.KAFKA))
                .isEqualTo("127.0.0.1:29091,127.0.0.1:29092,127.0.0.1:29093");
        assertThat(LocalStack.url(loaded, "jobmanager")).isEqualTo("http://127.0.0.1:8081");
        assertThat(LocalStack.url(loaded, LocalStack.FLINK)).isEqualTo("http://127.0.0.1:8081");
        assertThat(LocalStack.url(loaded, LocalStack.INFLUXDB)).isNull();
    }

    @Test
    void upOptionsKeepTheClusterSizeForTheSupervisor() throws Exception {
        ObjectMapper json = new ObjectMapper();
        UpOptions options = new UpOptions(64, 3, null, List.of(), null, new ClusterSize(4, 3));
        assertThat(json.readValue(json.writeValueAsString(options), UpOptions.class)).isEqualTo(options);
        UpOptions plain = new UpOptions(64, 3);
        assertThat(json.readValue(json.writeValueAsString(plain), UpOptions.class).cluster()).isNull();
    }

    @Test
    void everyBrokerIsAVoterWithReplicationThreeAndMinIsrTwo(@TempDir Path dir) throws Exception {
        assertThat(KafkaClusterMembers.voters(List.of(29191, 29192, 29193)))
                .isEqualTo("1@127.0.0.1:29191,2@127.0.0.1:29192,3@127.0.0.1:29193");
        assertThat(KafkaClusterMembers.clusterSettings()).containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2");
        // A member whose storage is formatted gives the cluster id to the others.
        StackLayout layout = new StackLayout(dir);
        ClusterSize size = new ClusterSize(3, 1);
        String fresh = KafkaClusterMembers.clusterId(layout, size);
        assertThat(fresh).isNotBlank();
        Path meta = layout.data("kafka-2").resolve("data").resolve("meta.properties");
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, "cluster.id=abcdEFGHijklMNOPqrstUV\nnode.id=2\n");
        assertThat(KafkaClusterMembers.clusterId(layout, size)).isEqualTo("abcdEFGHijklMNOPqrstUV");
    }

    @Test
    void composeSubmitsTheSameJarAndEntryClassesAsUpCluster() throws Exception {
        String compose = Files.readString(ChipwatchHome.root().resolve("docker-compose.yml"));
        // One submission path: compose's flink-submit services upload stream-jobs' jar and run the same classes.
        assertThat(compose).contains("ENTRY_CLASS: " + ClusterJobs.AGGREGATION_CLASS,
                "JOB_NAME: " + ClusterJobs.AGGREGATION_NAME, "ENTRY_CLASS: " + ClusterJobs.DETECTION_CLASS,
                "JOB_NAME: " + ClusterJobs.DETECTION_NAME);
        String submit = Files.readString(ChipwatchHome.root().resolve("dashboards/docker/flink-submit.sh"));
        assertThat(submit).contains("/jars/upload", "/run", "entryClass", "programArgsList");
        Path jar = Path.of("stream-jobs-0.1.0-SNAPSHOT.jar");
        assertThat(submit).contains("stream-jobs/target/" + jar);
        assertThat(jar.getFileName().toString()).matches(ClusterJobs.JAR_PATTERN);
    }

    @Test
    void flinkMembersShareTheJobManagerAndBindToLoopback(@TempDir Path dir) {
        FlinkSessionConfig config = new FlinkSessionConfig(new ClusterSize(3, 2), 6123, 8081, dir.resolve("tmp"),
                Map.of("metrics.reporter.chipwatch_influx.url", "http://127.0.0.1:8086"));
        Map<String, String> jm = config.jobManager();
        assertThat(jm).containsEntry("jobmanager.rpc.port", "6123").containsEntry("rest.bind-address", "127.0.0.1")
                .containsEntry("jobmanager.bind-host", "127.0.0.1").containsEntry("parallelism.default", "2")
                .containsEntry("metrics.reporter.chipwatch_influx.url", "http://127.0.0.1:8086");
        Map<String, String> tm = config.taskManager(2, 6132, 512);
        assertThat(tm).containsEntry("taskmanager.resource-id", "taskmanager-2")
                .containsEntry("taskmanager.rpc.port", "6132").containsEntry("taskmanager.numberOfTaskSlots", "8")
                .containsEntry("taskmanager.memory.task.heap.size", "512m")
                .containsEntry("jobmanager.rpc.port", "6123");
        assertThat(FlinkSessionConfig.render(Map.of("a.b", "it's"))).endsWith("a.b: 'it''s'\n");
        // 256 KB a chip over the TaskManagers, within 320 MB and 4 GB.
        assertThat(FlinkSessionMembers.taskHeapMb(64, new ClusterSize(3, 2))).isEqualTo(320);
        assertThat(FlinkSessionMembers.taskHeapMb(10_000, new ClusterSize(3, 2))).isEqualTo(1250);
    }
}
