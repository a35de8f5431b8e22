package io.chipwatch.e2e;

import io.chipwatch.collector.control.ControlAccess;
import io.chipwatch.collector.control.ControlServer;
import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.infra.AlertmanagerConfig;
import io.chipwatch.infra.LocalAlertmanager;
import io.chipwatch.infra.LocalInfluxDb;
import io.chipwatch.infra.LocalKafka;
import io.chipwatch.infra.ManagedProcess;
import io.chipwatch.infra.kafka.KafkaAcls;
import io.chipwatch.infra.kafka.KafkaCredentialFiles;
import io.chipwatch.jobs.launch.JobEnvironment;
import io.chipwatch.testsupport.ListeningSockets;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every listening socket of the local stack's components binds loopback: InfluxDB, Kafka and Alertmanager started
 * as the stack starts them (their processes' sockets, read from {@code /proc}), and, in this JVM, the collector's
 * control server and a MiniCluster with the jobs' web settings. The components not started here (alerting, the
 * jobs' own JVMs, Grafana) bind through the same code: alerting through infra's {@code JsonHttpServer} (loopback by
 * default), the jobs through {@link JobEnvironment#webConfiguration}.
 */
class LoopbackListenersIT {

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void noComponentListensBeyondLoopback(@TempDir Path dir) throws Exception {
        try (LocalInfluxDb influx = LocalInfluxDb.builder().dataDir(dir.resolve("influxdb")).build();
             // As the stack runs it: both listeners authenticating (SASL), which must not widen where they bind.
             LocalKafka kafka = LocalKafka.builder().dataDir(dir.resolve("kafka"))
                     .security(new KafkaCredentialFiles(dir.resolve("secrets")).createMissing().brokerSecurity(
                             new KafkaAcls.Names("chip-samples", "fault-truth", "chip-samples-dead-letter",
                                     "anomalies", "alerting-state", "chipwatch-aggregation", "chipwatch-detection",
                                     "chipwatch-alerting", "chipwatch-detection")))
                     .startTimeout(Duration.ofSeconds(120)).build();
             LocalAlertmanager alertmanager = LocalAlertmanager.builder().dataDir(dir.resolve("alertmanager"))
                     .config(AlertmanagerConfig.nullReceiver()).build()) {
            for (ManagedProcess<?> p : List.<ManagedProcess<?>>of(influx, kafka, alertmanager)) {
                p.start();
                List<ListeningSockets.Socket> sockets = ListeningSockets.ofProcess(p.pid());
                assertThat(sockets).as("%s listens", p.getClass().getSimpleName()).isNotEmpty()
                        .anySatisfy(s -> assertThat(s.port()).isEqualTo(p.port()))
                        .allSatisfy(s -> assertThat(s.loopback()).as("%s: %s", p.getClass().getSimpleName(), s)
                                .isTrue());
            }
        }

        SimulationConfig config = SimulationConfig.builder().chips(80).seed(1).build();
        MiniClusterConfiguration flink = new MiniClusterConfiguration.Builder()
                .setConfiguration(JobEnvironment.webConfiguration(0, JobEnvironment.LOOPBACK))
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build();
        try (ControlServer collector = new ControlServer("127.0.0.1", 0,
                ControlAccess.fromFile(dir.resolve("collector-token"), List.of()), new ClusterSimulator(config),
                new CollectorMetrics());
             MiniCluster cluster = new MiniCluster(flink)) {
            cluster.start();
            int restPort = cluster.getRestAddress().get(30, TimeUnit.SECONDS).getPort();
            List<ListeningSockets.Socket> sockets = ListeningSockets.ofProcess(ProcessHandle.current().pid());
            assertThat(sockets).extracting(ListeningSockets.Socket::port).contains(collector.port(), restPort);
            assertThat(sockets).allSatisfy(s -> assertThat(s.loopback()).as("this JVM: %s", s).isTrue());
        }
    }
}
